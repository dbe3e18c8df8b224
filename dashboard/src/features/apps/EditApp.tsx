import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type App, type AppUpdate } from "../../api/client";
import { useUpdateApp } from "../../api/queries";
import { ErrorMessage } from "../../components/States";

type Text = "name" | "url" | "icon_url" | "role_claim" | "extra_claims";
type Draft = Record<Text, string> & { trusted: boolean };

function draftOf(app: App): Draft {
  return {
    name: app.name,
    url: app.url ?? "",
    icon_url: app.icon_url ?? "",
    role_claim: app.role_claim,
    extra_claims:
      Object.keys(app.extra_claims).length > 0 ? JSON.stringify(app.extra_claims, null, 2) : "",
    trusted: app.trusted,
  };
}

/** The claims as typed: a JSON object, or nothing for none; null when it is not one. */
function parseClaims(text: string): Record<string, unknown> | null {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The app's details, shown; one button turns them into a form and back. */
export function EditApp({ app }: { app: App }) {
  const { t } = useTranslation();
  const base = useId();
  const id = (f: Text | "trusted") => `${base}-${f}`;
  const update = useUpdateApp(app.slug);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => draftOf(app));
  const [problems, setProblems] = useState<Partial<Record<Text, string>>>({});

  function start() {
    setDraft(draftOf(app));
    setProblems({});
    update.reset();
    setEditing(true);
  }

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    const claims = parseClaims(draft.extra_claims);
    const found: Partial<Record<Text, string>> = {};
    if (!draft.name.trim()) found.name = t("newApp.nameMissing");
    if (!draft.role_claim.trim()) found.role_claim = t("app.roleClaimMissing");
    if (claims === null) found.extra_claims = t("app.claimsInvalid");
    setProblems(found);
    const first = Object.keys(found)[0] as Text | undefined;
    if (first || claims === null) {
      if (first) document.getElementById(id(first))?.focus();
      return;
    }
    // Only what changed; an emptied address or icon is sent as null, which clears it.
    const change: AppUpdate = {};
    if (draft.name.trim() !== app.name) change.name = draft.name.trim();
    const url = draft.url.trim();
    if (url !== (app.url ?? "")) change.url = url || null;
    const icon = draft.icon_url.trim();
    if (icon !== (app.icon_url ?? "")) change.icon_url = icon || null;
    if (draft.trusted !== app.trusted) change.trusted = draft.trusted;
    if (draft.role_claim.trim() !== app.role_claim) change.role_claim = draft.role_claim.trim();
    if (JSON.stringify(claims) !== JSON.stringify(app.extra_claims)) change.extra_claims = claims;
    if (Object.keys(change).length === 0) {
      setEditing(false);
      return;
    }
    update.mutate(change, {
      onSuccess: () => setEditing(false),
      onError: (error) => {
        if (error instanceof ApiError) setProblems(error.fields);
      },
    });
  }

  if (!editing) {
    return (
      <>
        <dl className="details">
          <div className="detail">
            <dt>{t("apps.name")}</dt>
            <dd>{app.name}</dd>
          </div>
          <div className="detail">
            <dt>{t("apps.slug")}</dt>
            <dd>
              <code>{app.slug}</code>
            </dd>
          </div>
          <div className="detail">
            <dt>{t("apps.url")}</dt>
            <dd>{app.url ? <a href={app.url}>{app.url}</a> : "—"}</dd>
          </div>
          <div className="detail">
            <dt>{t("app.iconUrl")}</dt>
            <dd>{app.icon_url ?? "—"}</dd>
          </div>
          <div className="detail">
            <dt>{t("apps.kind")}</dt>
            <dd>
              {app.external ? t("apps.external") : t("apps.internal")}
              {app.trusted ? `, ${t("apps.trusted")}` : ""}
            </dd>
          </div>
          <div className="detail">
            <dt>{t("app.roleClaim")}</dt>
            <dd>
              <code>{app.role_claim}</code>
            </dd>
          </div>
          <div className="detail">
            <dt>{t("app.extraClaims")}</dt>
            <dd>
              {Object.keys(app.extra_claims).length > 0 ? (
                <code className="pre">{JSON.stringify(app.extra_claims)}</code>
              ) : (
                t("app.noExtraClaims")
              )}
            </dd>
          </div>
        </dl>
        <button type="button" onClick={start}>
          {t("app.edit")}
        </button>
        <p className="save-state" role="status">
          {update.isSuccess ? t("user.saved") : ""}
        </p>
      </>
    );
  }

  function input(name: Exclude<Text, "extra_claims">, type: string, label: string) {
    const problem = problems[name];
    return (
      <div className="field">
        <label htmlFor={id(name)}>{label}</label>
        <input
          id={id(name)}
          type={type}
          value={draft[name]}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id(name)}-problem` : undefined}
          onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
        />
        <p id={`${id(name)}-problem`} className="field-problem">
          {problem ?? ""}
        </p>
      </div>
    );
  }

  const claimsProblem = problems.extra_claims;
  return (
    <form
      className="stacked"
      noValidate
      onSubmit={onSubmit}
      onKeyDown={(event) => {
        if (event.key === "Escape") setEditing(false);
      }}
    >
      {input("name", "text", t("apps.name"))}
      {input("url", "url", t("apps.url"))}
      {input("icon_url", "url", t("app.iconUrl"))}
      <div className="check">
        <input
          id={id("trusted")}
          type="checkbox"
          checked={draft.trusted}
          onChange={(event) => setDraft({ ...draft, trusted: event.target.checked })}
        />
        <label htmlFor={id("trusted")}>{t("app.trusted")}</label>
      </div>
      {input("role_claim", "text", t("app.roleClaim"))}
      <div className="field">
        <label htmlFor={id("extra_claims")}>{t("app.extraClaims")}</label>
        <p className="muted hint" id={`${id("extra_claims")}-hint`}>
          {t("app.claimsHint")}
        </p>
        <textarea
          id={id("extra_claims")}
          rows={4}
          spellCheck={false}
          value={draft.extra_claims}
          aria-invalid={claimsProblem ? true : undefined}
          aria-describedby={`${id("extra_claims")}-hint ${id("extra_claims")}-problem`}
          onChange={(event) => setDraft({ ...draft, extra_claims: event.target.value })}
        />
        <p id={`${id("extra_claims")}-problem`} className="field-problem">
          {claimsProblem ?? ""}
        </p>
      </div>
      {update.isError ? <ErrorMessage error={update.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? t("user.saving") : t("user.save")}
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          {t("user.cancel")}
        </button>
      </div>
    </form>
  );
}
