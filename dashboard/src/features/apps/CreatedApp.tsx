import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { AppCreatedFromPreset, Preset } from "../../api/client";
import { CopyButton } from "../../components/CopyButton";
import { SecretOnce } from "./SecretOnce";
import { SettingsList } from "./SettingsList";

/** Right after creating from a preset: the secret (this once) and what to type into the app. */
export function CreatedApp({ app, preset }: { app: AppCreatedFromPreset; preset?: Preset }) {
  const { t } = useTranslation();
  const { settings } = app;
  // The form is gone: the keyboard's place moves to what replaced it.
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => noticeRef.current?.focus(), []);
  return (
    <>
      <p className="notice" role="status" tabIndex={-1} ref={noticeRef}>
        {t("newApp.created", { name: app.name })}
      </p>
      <SecretOnce client={app.client} />
      <h2>{t("settings.title")}</h2>
      <p>{t("newApp.typeIn", { name: app.name })}</p>
      <SettingsList
        rows={[
          { label: t("settings.issuer"), value: settings.issuer },
          { label: t("settings.discoveryUrl"), value: settings.discovery_url },
          { label: t("settings.redirectUri"), value: settings.redirect_uri },
          { label: t("settings.scope"), value: settings.scope },
          { label: t("settings.authMethod"), value: settings.token_endpoint_auth_method },
        ]}
      />
      {settings.fields.length > 0 ? (
        <>
          <h3>{t("newApp.fields", { name: preset?.name ?? app.name })}</h3>
          <SettingsList rows={settings.fields} />
        </>
      ) : null}
      {settings.snippets.map((snippet) => (
        <div className="snippet" key={snippet.title}>
          <h3>{snippet.title}</h3>
          <pre>
            <code>{snippet.text}</code>
          </pre>
          <CopyButton text={snippet.text} what={snippet.title} />
        </div>
      ))}
      {preset && preset.notes.length > 0 ? (
        <ul className="notes">
          {preset.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link className="button" to={`/apps/${encodeURIComponent(app.slug)}`}>
          {t("newApp.toApp", { name: app.name })}
        </Link>
      </p>
    </>
  );
}
