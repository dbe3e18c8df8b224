import { useTranslation } from "react-i18next";
import { useRecoveryCode } from "../../api/queries";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessage } from "../../components/States";
import { formatTime } from "./time";

/** A one-time recovery link and code for the admin to hand over, with copy buttons. */
export function RecoveryLink({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const recovery = useRecoveryCode(userId);

  const code = recovery.data;
  return (
    <>
      <p>{t("recovery.note")}</p>
      <button type="button" disabled={recovery.isPending} onClick={() => recovery.mutate()}>
        {code ? t("recovery.again") : t("recovery.make")}
      </button>
      {recovery.isError ? <ErrorMessage error={recovery.error} /> : null}
      {code ? (
        <dl className="details recovery">
          <div className="detail">
            <dt>{t("recovery.link")}</dt>
            <dd>
              <code>{code.recovery_link}</code>{" "}
              <CopyButton
                text={code.recovery_link}
                label={t("recovery.copyLink")}
                done={t("recovery.linkCopied")}
              />
            </dd>
          </div>
          <div className="detail">
            <dt>{t("recovery.code")}</dt>
            <dd>
              <code>{code.recovery_code}</code>{" "}
              <CopyButton
                text={code.recovery_code}
                label={t("recovery.copyCode")}
                done={t("recovery.codeCopied")}
              />
            </dd>
          </div>
          <div className="detail">
            <dt>{t("recovery.until")}</dt>
            <dd>{formatTime(code.expires_at, i18n.language)}</dd>
          </div>
        </dl>
      ) : null}
    </>
  );
}
