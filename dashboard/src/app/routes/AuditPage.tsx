import { useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useApps, useAudit, type AuditAction, type AuditFilters } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import {
  AUDIT_ACTIONS,
  actionLabel,
  actorWords,
  describe,
  targetWords,
} from "../../features/audit/sentence";
import { formatTime } from "../../features/users/time";

const FIELDS = {
  actor: "actor",
  action: "action",
  targetType: "target_type",
  targetId: "target_id",
  since: "since",
  until: "until",
} as const satisfies Record<keyof AuditFilters, string>;

function filtersOf(params: URLSearchParams): AuditFilters {
  const action = params.get(FIELDS.action) ?? "";
  return {
    actor: params.get(FIELDS.actor) ?? "",
    action: (AUDIT_ACTIONS as string[]).includes(action) ? (action as AuditAction) : "",
    targetType: params.get(FIELDS.targetType) ?? "",
    targetId: params.get(FIELDS.targetId) ?? "",
    since: params.get(FIELDS.since) ?? "",
    until: params.get(FIELDS.until) ?? "",
  };
}

/** The audit log, newest first, each entry in words; filters live in the address. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const ids = { action: useId(), app: useId(), since: useId(), until: useId() };
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  // Keyset paging: the cursors of the pages before this one, per filter set.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: params.toString(),
    cursors: [null],
  });
  const cursors = paging.key === params.toString() ? paging.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const audit = useAudit(filters, cursor);
  const apps = useApps();
  const refused = audit.error instanceof ApiError && audit.error.status === 403;

  function change(next: Partial<AuditFilters>) {
    const merged = { ...filters, ...next };
    const search = new URLSearchParams();
    for (const [field, name] of Object.entries(FIELDS)) {
      const value = merged[field as keyof AuditFilters];
      if (value) search.set(name, value);
    }
    setParams(search);
  }

  const appFilter = filters.targetType === "app" ? filters.targetId : "";

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t("audit.title")}</h1>
      {refused ? null : (
        <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
          <div className="field">
            <label htmlFor={ids.action}>{t("audit.action")}</label>
            <select
              id={ids.action}
              value={filters.action}
              onChange={(event) => change({ action: event.target.value as AuditAction | "" })}
            >
              <option value="">{t("audit.anyAction")}</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {actionLabel(action, t)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.app}>{t("audit.app")}</label>
            <select
              id={ids.app}
              value={appFilter}
              onChange={(event) =>
                change(
                  event.target.value
                    ? { targetType: "app", targetId: event.target.value }
                    : { targetType: "", targetId: "" },
                )
              }
            >
              <option value="">{t("audit.anyApp")}</option>
              {apps.data?.map((app) => (
                <option key={app.slug} value={app.slug}>
                  {app.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.since}>{t("audit.since")}</label>
            <input
              id={ids.since}
              type="date"
              value={filters.since}
              onChange={(event) => change({ since: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.until}>{t("audit.until")}</label>
            <input
              id={ids.until}
              type="date"
              value={filters.until}
              onChange={(event) => change({ until: event.target.value })}
            />
          </div>
        </form>
      )}
      {params.toString() ? (
        <p className="notice">
          <Link to="/audit">{t("audit.clear")}</Link>
        </p>
      ) : null}

      {audit.isPending ? <Loading /> : null}
      {audit.isError ? (
        <ErrorMessage error={audit.error} retry={() => void audit.refetch()} />
      ) : null}
      {audit.data ? (
        <>
          {audit.data.items.length === 0 ? (
            <p className="empty">{t("audit.none")}</p>
          ) : (
            <div className="table-wrap">
              <table className="audit" aria-busy={audit.isPlaceholderData}>
                <thead>
                  <tr>
                    <th scope="col">{t("audit.when")}</th>
                    <th scope="col">{t("audit.entry")}</th>
                    <th scope="col">{t("audit.actor")}</th>
                  </tr>
                </thead>
                <tbody>
                  {audit.data.items.map((entry) => (
                    <tr key={entry.id}>
                      <td className="nowrap">
                        <time dateTime={entry.at}>{formatTime(entry.at, i18n.language)}</time>
                      </td>
                      <td>
                        {describe(entry, t).map((sentence) => (
                          <p key={sentence} className="sentence">
                            {sentence}.
                          </p>
                        ))}
                        {entry.target_type === "user" || entry.target_type === "group" ? (
                          <button
                            type="button"
                            className="link"
                            onClick={() =>
                              change({ targetType: entry.target_type, targetId: entry.target_id })
                            }
                          >
                            {t("audit.aboutTarget", { name: targetWords(entry, t) })}
                          </button>
                        ) : null}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link"
                          title={t("audit.byActor", { name: actorWords(entry, t) })}
                          onClick={() => change({ actor: entry.actor })}
                        >
                          {actorWords(entry, t)}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager" aria-label={t("users.page", { page: cursors.length })}>
            <button
              type="button"
              disabled={cursors.length === 1}
              onClick={() => setPaging({ key: params.toString(), cursors: cursors.slice(0, -1) })}
            >
              {t("users.previous")}
            </button>
            <span>{t("users.page", { page: cursors.length })}</span>
            <button
              type="button"
              disabled={!audit.data.next_cursor || audit.isPlaceholderData}
              onClick={() => {
                const next = audit.data.next_cursor;
                if (next) setPaging({ key: params.toString(), cursors: [...cursors, next] });
              }}
            >
              {t("users.next")}
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
