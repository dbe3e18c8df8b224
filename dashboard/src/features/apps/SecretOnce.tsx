import { useTranslation } from "react-i18next";
import type { ClientWithSecret } from "../../api/client";
import { CopyButton } from "../../components/CopyButton";

/** A client's secret, the one time the API gives it, with a copy button and a warning. */
export function SecretOnce({ client }: { client: ClientWithSecret }) {
  const { t } = useTranslation();
  return (
    <div className="secret-once" role="region" aria-label={t("secret.title")}>
      <h3>{t("secret.title")}</h3>
      <p>
        <strong>{t("secret.once")}</strong>
      </p>
      <dl className="details">
        <div className="detail">
          <dt>{t("clients.clientId")}</dt>
          <dd>
            <code>{client.client_id}</code>{" "}
            <CopyButton text={client.client_id} what={t("clients.clientId")} />
          </dd>
        </div>
        <div className="detail">
          <dt>{t("secret.secret")}</dt>
          <dd>
            {client.client_secret ? (
              <>
                <code className="secret">{client.client_secret}</code>{" "}
                <CopyButton text={client.client_secret} what={t("secret.secret")} />
              </>
            ) : (
              t("secret.none")
            )}
          </dd>
        </div>
      </dl>
    </div>
  );
}
