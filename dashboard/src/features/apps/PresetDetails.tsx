import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Preset } from "../../api/client";

/** What a preset configures: the client Hydra gets and the claims the app reads, as the API says. */
export function PresetDetails({ preset }: { preset: Preset }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="preset-details" aria-labelledby={id}>
      <h2 id={id}>{t("newApp.willConfigure", { name: preset.name })}</h2>
      <p>
        {preset.summary}{" "}
        <a href={preset.reference} target="_blank" rel="noreferrer noopener">
          {t("newApp.reference")}
        </a>
      </p>
      <dl className="details">
        <div className="detail">
          <dt>{t("settings.redirectUri")}</dt>
          <dd>
            {preset.redirect_uri_pattern ? (
              <code>{preset.redirect_uri_pattern.replace("{app_url}", t("newApp.appUrl"))}</code>
            ) : (
              t("newApp.redirectYours")
            )}
          </dd>
        </div>
        <div className="detail">
          <dt>{t("settings.scope")}</dt>
          <dd>
            <code>{preset.scope}</code>
          </dd>
        </div>
        <div className="detail">
          <dt>{t("settings.authMethod")}</dt>
          <dd>
            <code>{preset.token_endpoint_auth_method}</code>
          </dd>
        </div>
        <div className="detail">
          <dt>{t("newApp.reads")}</dt>
          <dd>{preset.reads}</dd>
        </div>
      </dl>
      <div className="table-wrap">
        <table>
          <caption>{t("newApp.claims")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("newApp.claim")}</th>
              <th scope="col">{t("newApp.shape")}</th>
              <th scope="col">{t("newApp.use")}</th>
            </tr>
          </thead>
          <tbody>
            {preset.claims.map((claim) => (
              <tr key={claim.name}>
                <td>
                  <code>{claim.name}</code>
                </td>
                <td>{claim.shape}</td>
                <td>{claim.use}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preset.notes.length > 0 ? (
        <ul className="notes">
          {preset.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
