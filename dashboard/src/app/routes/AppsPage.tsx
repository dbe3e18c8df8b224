import { Link, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useApps } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";

export function AppsPage() {
  const { t } = useTranslation();
  const apps = useApps();
  const refused = apps.error instanceof ApiError && apps.error.status === 403;
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">{t("apps.title")}</h1>
      {refused ? null : (
        <p>
          <Link className="button" to="/apps/new">
            {t("newApp.title")}
          </Link>
        </p>
      )}
      {deleted ? (
        <p className="notice" role="status">
          {t("app.deleted", { name: deleted })}
        </p>
      ) : null}
      {apps.isPending ? <Loading /> : null}
      {apps.isError ? <ErrorMessage error={apps.error} retry={() => void apps.refetch()} /> : null}
      {apps.data?.length === 0 ? <p className="empty">{t("apps.none")}</p> : null}
      {apps.data && apps.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("apps.name")}</th>
                <th scope="col">{t("apps.slug")}</th>
                <th scope="col">{t("apps.url")}</th>
                <th scope="col">{t("apps.kind")}</th>
                <th scope="col">{t("apps.clients")}</th>
              </tr>
            </thead>
            <tbody>
              {apps.data.map((app) => (
                <tr key={app.slug}>
                  <td>
                    <Link to={`/apps/${encodeURIComponent(app.slug)}`}>{app.name}</Link>
                  </td>
                  <td>
                    <code>{app.slug}</code>
                  </td>
                  <td>{app.url ? <a href={app.url}>{app.url}</a> : "—"}</td>
                  <td>
                    {app.external ? t("apps.external") : t("apps.internal")}
                    {app.trusted ? `, ${t("apps.trusted")}` : ""}
                  </td>
                  <td>{app.client_ids.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
