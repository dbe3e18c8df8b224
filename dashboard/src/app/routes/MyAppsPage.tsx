import { useTranslation } from "react-i18next";
import { useMe, useMyApps } from "../../api/queries";
import { AppCard } from "../../features/apps/AppCard";
import { ErrorMessage, Loading } from "../../components/States";

// The app this launcher is: everyone signed in here has a role on it, so it is not listed.
const DASHBOARD_APP = "dashboard";

export function MyAppsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const apps = useMyApps();
  const launchable = apps.data?.filter((app) => app.slug !== DASHBOARD_APP);
  const name = me.data?.name ?? me.data?.email ?? "";
  return (
    <section aria-labelledby="my-apps-title">
      <h1 id="my-apps-title">{t("myApps.title")}</h1>
      {name ? <p className="muted">{t("myApps.greeting", { name })}</p> : null}
      {apps.isPending ? <Loading /> : null}
      {apps.isError ? <ErrorMessage error={apps.error} retry={() => void apps.refetch()} /> : null}
      {launchable && launchable.length === 0 ? (
        <div className="empty">
          <p>
            <strong>{t("myApps.empty")}</strong>
          </p>
          <p>{t("myApps.emptyHint")}</p>
        </div>
      ) : null}
      {launchable && launchable.length > 0 ? (
        <ul className="app-grid" aria-label={t("myApps.title")}>
          {launchable.map((app) => (
            <AppCard key={app.slug} app={app} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
