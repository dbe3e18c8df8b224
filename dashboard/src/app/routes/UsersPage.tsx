import { useId, useState, type SyntheticEvent } from "react";
import { Link, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError, type RoleName } from "../../api/client";
import { useApps, useUsers, type UserFilters } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import { RoleBadge } from "../../features/users/RoleBadge";

const NO_FILTERS: UserFilters = { q: "", app: "", role: "" };

export function UsersPage() {
  const { t } = useTranslation();
  const ids = { q: useId(), app: useId(), role: useId() };
  const [draft, setDraft] = useState<UserFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<UserFilters>(NO_FILTERS);
  // Keyset paging: the cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const users = useUsers(filters, cursor);
  const apps = useApps();
  // Refused (not an admin): the reason only, no search form for a list that cannot come.
  const refused = users.error instanceof ApiError && users.error.status === 403;
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;

  function apply(next: UserFilters) {
    setFilters(next);
    setCursors([null]);
  }

  function onSearch(event: SyntheticEvent) {
    event.preventDefault();
    apply({ ...draft, q: draft.q.trim() });
  }

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t("users.title")}</h1>
      {refused ? null : (
        <p>
          <Link className="button" to="/users/new">
            {t("newUser.title")}
          </Link>
        </p>
      )}
      {deleted ? (
        <p className="notice" role="status">
          {t("user.deleted", { name: deleted })}
        </p>
      ) : null}
      {refused ? null : (
        <form className="filters" role="search" onSubmit={onSearch}>
          <div className="field">
            <label htmlFor={ids.q}>{t("users.search")}</label>
            <input
              id={ids.q}
              type="search"
              value={draft.q}
              onChange={(event) => setDraft({ ...draft, q: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.app}>{t("users.app")}</label>
            <select
              id={ids.app}
              value={draft.app}
              onChange={(event) => {
                const next = { ...draft, app: event.target.value };
                setDraft(next);
                apply({ ...next, q: filters.q });
              }}
            >
              <option value="">{t("users.anyApp")}</option>
              {apps.data?.map((app) => (
                <option key={app.slug} value={app.slug}>
                  {app.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.role}>{t("users.role")}</label>
            <select
              id={ids.role}
              value={draft.role}
              onChange={(event) => {
                const next = { ...draft, role: event.target.value as RoleName | "" };
                setDraft(next);
                apply({ ...next, q: filters.q });
              }}
            >
              <option value="">{t("users.anyRole")}</option>
              <option value="admin">{t("role.admin")}</option>
              <option value="user">{t("role.user")}</option>
            </select>
          </div>
          <button type="submit">{t("users.searchButton")}</button>
        </form>
      )}

      {users.isPending ? <Loading /> : null}
      {users.isError ? (
        <ErrorMessage error={users.error} retry={() => void users.refetch()} />
      ) : null}
      {users.data ? (
        <>
          {users.data.items.length === 0 ? (
            <p className="empty">{t("users.none")}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("users.name")}</th>
                    <th scope="col">{t("users.email")}</th>
                    <th scope="col">{t("users.username")}</th>
                    <th scope="col">{t("users.status")}</th>
                    <th scope="col">{t("users.roles")}</th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.items.map((user) => (
                    <tr key={user.id}>
                      <td>
                        <Link to={`/users/${encodeURIComponent(user.id)}`}>
                          {user.name ?? t("users.noName")}
                        </Link>
                      </td>
                      <td>{user.email}</td>
                      <td>{user.username}</td>
                      <td>{user.state === "active" ? t("users.active") : t("users.inactive")}</td>
                      <td>
                        <ul className="inline-list">
                          {user.roles.map((role) => (
                            <li key={role.app}>
                              {role.app} <RoleBadge role={role.role} />
                            </li>
                          ))}
                        </ul>
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
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t("users.previous")}
            </button>
            <span>{t("users.page", { page: cursors.length })}</span>
            <button
              type="button"
              disabled={!users.data.next_cursor}
              onClick={() => {
                const next = users.data.next_cursor;
                if (next) setCursors([...cursors, next]);
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
