import { useId, useState, type SyntheticEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError, type AppCreatedFromPreset } from "../../api/client";
import { useCreateApp, usePreset, usePresets } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import { CreatedApp } from "../../features/apps/CreatedApp";
import { PresetDetails } from "../../features/apps/PresetDetails";

// No preset: the app alone (an entry on My apps); its clients are added on its page.
const CUSTOM = "";

type Field = "url" | "name" | "slug" | "icon_url" | "redirect_uri";
const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export function NewAppPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const base = useId();
  const ids = (f: Field | "trusted" | "external") => `${base}-${f}`;
  const presets = usePresets();
  const [chosen, setChosen] = useState<string | null>(null);
  const preset = usePreset(chosen ?? "");
  const create = useCreateApp();
  const [form, setForm] = useState<Record<Field, string>>({
    url: "",
    name: "",
    slug: "",
    icon_url: "",
    redirect_uri: "",
  });
  const [trusted, setTrusted] = useState(false);
  const [external, setExternal] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [created, setCreated] = useState<AppCreatedFromPreset | null>(null);

  const custom = chosen === CUSTOM;
  const needsRedirect = !custom && preset.data?.redirect_uri_pattern === null;

  function check(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    if (!custom && !form.url.trim()) found.url = t("newApp.urlMissing");
    if (custom && !form.name.trim()) found.name = t("newApp.nameMissing");
    if (custom && !form.slug) found.slug = t("newApp.slugMissing");
    else if (form.slug && !SLUG.test(form.slug)) found.slug = t("newApp.slugInvalid");
    if (needsRedirect && !form.redirect_uri.trim())
      found.redirect_uri = t("newApp.redirectMissing");
    return found;
  }

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    if (chosen === null) return;
    const found = check();
    setProblems(found);
    const first = Object.keys(found)[0] as Field | undefined;
    if (first) {
      document.getElementById(ids(first))?.focus();
      return;
    }
    const text = (f: Field) => form[f].trim();
    // Optional fields go only when filled in: the API's defaults apply otherwise.
    const optional = (fields: Field[]) =>
      Object.fromEntries(fields.filter((f) => text(f)).map((f) => [f, text(f)]));
    const onError = (error: Error) => {
      if (error instanceof ApiError) setProblems(error.fields);
    };
    if (custom) {
      create.mutate(
        {
          slug: form.slug,
          name: text("name"),
          // The API's default (the schema marks it required); changed on the app's page.
          role_claim: "role",
          ...optional(["url", "icon_url"]),
          trusted,
          external,
        },
        {
          onSuccess: (app) =>
            void navigate(`/apps/${encodeURIComponent(app.slug)}`, {
              state: { created: app.name },
            }),
          onError,
        },
      );
      return;
    }
    create.mutate(
      {
        preset: chosen,
        url: text("url"),
        ...optional([
          "name",
          "slug",
          "icon_url",
          ...(needsRedirect ? ["redirect_uri" as const] : []),
        ]),
        trusted,
      },
      {
        onSuccess: (app) => {
          if ("client" in app) setCreated(app);
        },
        onError,
      },
    );
  }

  function field(name: Field, type: string, label: string, hint?: string) {
    const problem = problems[name];
    const about = `${ids(name)}-about`;
    return (
      <div className="field">
        <label htmlFor={ids(name)}>{label}</label>
        {hint ? (
          <p className="muted hint" id={`${about}-hint`}>
            {hint}
          </p>
        ) : null}
        <input
          id={ids(name)}
          type={type}
          value={form[name]}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={
            [hint ? `${about}-hint` : "", problem ? about : ""].join(" ").trim() || undefined
          }
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        />
        <p id={about} className="field-problem">
          {problem ?? ""}
        </p>
      </div>
    );
  }

  return (
    <section aria-labelledby="new-app-title">
      <p>
        <Link to="/apps">← {t("app.back")}</Link>
      </p>
      <h1 id="new-app-title">{t("newApp.title")}</h1>
      {created ? (
        <CreatedApp app={created} {...(preset.data ? { preset: preset.data } : {})} />
      ) : (
        <form className="stacked wide" noValidate onSubmit={onSubmit}>
          <fieldset className="preset-picker">
            <legend>{t("newApp.which")}</legend>
            {presets.isPending ? <Loading /> : null}
            {presets.isError ? (
              <ErrorMessage error={presets.error} retry={() => void presets.refetch()} />
            ) : null}
            {presets.data?.map((p) => (
              <label className="preset-choice" key={p.id}>
                <input
                  type="radio"
                  name="preset"
                  value={p.id}
                  checked={chosen === p.id}
                  onChange={() => setChosen(p.id)}
                />
                <span>
                  <span className="preset-name">{p.name}</span>
                  <span className="muted">{p.summary}</span>
                </span>
              </label>
            ))}
            {presets.data ? (
              <label className="preset-choice">
                <input
                  type="radio"
                  name="preset"
                  value={CUSTOM}
                  checked={custom}
                  onChange={() => setChosen(CUSTOM)}
                />
                <span>
                  <span className="preset-name">{t("newApp.custom")}</span>
                  <span className="muted">{t("newApp.customNote")}</span>
                </span>
              </label>
            ) : null}
          </fieldset>

          {chosen && preset.isPending ? <Loading /> : null}
          {chosen && preset.isError ? <ErrorMessage error={preset.error} /> : null}
          {!custom && preset.data ? <PresetDetails preset={preset.data} /> : null}

          {chosen === null ? null : (
            <>
              {field(
                "url",
                "url",
                custom ? `${t("apps.url")} ${t("newUser.optional")}` : t("apps.url"),
              )}
              {needsRedirect ? field("redirect_uri", "url", t("settings.redirectUri")) : null}
              {field(
                "name",
                "text",
                custom ? t("apps.name") : `${t("apps.name")} ${t("newUser.optional")}`,
                custom ? undefined : t("newApp.defaultName", { name: preset.data?.name ?? "" }),
              )}
              {field(
                "slug",
                "text",
                custom ? t("apps.slug") : `${t("apps.slug")} ${t("newUser.optional")}`,
                custom ? t("newApp.slugHint") : t("newApp.defaultSlug", { slug: chosen }),
              )}
              {field("icon_url", "url", `${t("app.iconUrl")} ${t("newUser.optional")}`)}
              <div className="check">
                <input
                  id={ids("trusted")}
                  type="checkbox"
                  checked={trusted}
                  onChange={(event) => setTrusted(event.target.checked)}
                />
                <label htmlFor={ids("trusted")}>{t("app.trusted")}</label>
              </div>
              {custom ? (
                <div className="check">
                  <input
                    id={ids("external")}
                    type="checkbox"
                    checked={external}
                    onChange={(event) => setExternal(event.target.checked)}
                  />
                  <label htmlFor={ids("external")}>{t("app.external")}</label>
                </div>
              ) : null}
              {create.isError ? <ErrorMessage error={create.error} /> : null}
              <div className="actions">
                <button type="submit" disabled={create.isPending}>
                  {create.isPending ? t("newApp.creating") : t("newApp.create")}
                </button>
              </div>
            </>
          )}
        </form>
      )}
    </section>
  );
}
