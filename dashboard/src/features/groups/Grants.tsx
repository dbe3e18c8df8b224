import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import type { RoleName } from "../../api/client";
import { useApps, useSetGrant, type Group } from "../../api/queries";
import { ErrorMessage } from "../../components/States";

/** The roles the group gives on apps: set one (app and role), or take one away. */
export function Grants({ group }: { group: Group }) {
  const { t } = useTranslation();
  const ids = { app: useId(), role: useId() };
  const apps = useApps();
  const change = useSetGrant(group.id);
  const [app, setApp] = useState("");
  const [role, setRole] = useState<RoleName>("user");
  const appName = (slug: string) => apps.data?.find((a) => a.slug === slug)?.name ?? slug;
  const chosen = app || apps.data?.[0]?.slug || "";

  function onGrant(event: SyntheticEvent) {
    event.preventDefault();
    if (chosen) change.mutate({ app: chosen, role });
  }

  return (
    <>
      {group.grants.length === 0 ? (
        <p className="empty">{t("groups.noGrants")}</p>
      ) : (
        <ul className="member-list">
          {group.grants.map((grant) => (
            <li key={grant.app}>
              <span>
                {appName(grant.app)}: {grant.role === "admin" ? t("role.admin") : t("role.user")}
              </span>
              <button
                type="button"
                className="secondary"
                disabled={change.isPending}
                onClick={() => change.mutate({ app: grant.app, role: null })}
              >
                {t("groups.removeGrant", { app: appName(grant.app) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="filters" onSubmit={onGrant}>
        <div className="field">
          <label htmlFor={ids.app}>{t("groups.app")}</label>
          <select id={ids.app} value={chosen} onChange={(event) => setApp(event.target.value)}>
            {apps.data?.map((a) => (
              <option key={a.slug} value={a.slug}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t("groups.role")}</label>
          <select
            id={ids.role}
            value={role}
            onChange={(event) => setRole(event.target.value as RoleName)}
          >
            <option value="user">{t("role.user")}</option>
            <option value="admin">{t("role.admin")}</option>
          </select>
        </div>
        <button type="submit" disabled={change.isPending || !chosen}>
          {t("groups.grant")}
        </button>
      </form>
      {apps.isError ? <ErrorMessage error={apps.error} /> : null}
      {change.isError ? <ErrorMessage error={change.error} /> : null}
    </>
  );
}
