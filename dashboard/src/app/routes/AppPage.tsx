import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useApp, useDeleteApp } from "../../api/queries";
import { Confirm } from "../../components/Confirm";
import { ErrorMessage, Loading } from "../../components/States";
import { Clients } from "../../features/apps/Clients";
import { EditApp } from "../../features/apps/EditApp";
import { GroupsClaimPanel } from "../../features/apps/GroupsClaimPanel";
import { SignInSettings } from "../../features/apps/SignInSettings";

export function AppPage() {
  const { t } = useTranslation();
  const { slug = "" } = useParams();
  const navigate = useNavigate();
  const app = useApp(slug);
  const remove = useDeleteApp(slug);
  const created = (useLocation().state as { created?: string } | null)?.created;

  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorMessage error={app.error} retry={() => void app.refetch()} />;
  const { name } = app.data;

  return (
    <section aria-labelledby="app-title">
      <p>
        <Link to="/apps">← {t("app.back")}</Link>
      </p>
      <h1 id="app-title">{name}</h1>
      {created ? (
        <p className="notice" role="status">
          {t("newApp.createdPlain", { name: created })}
        </p>
      ) : null}
      <h2>{t("user.details")}</h2>
      <EditApp key={app.data.slug} app={app.data} />

      <h2>{t("groupsClaim.title")}</h2>
      <GroupsClaimPanel slug={slug} />

      <h2>{t("clients.title")}</h2>
      <Clients slug={slug} />

      <h2>{t("settings.title")}</h2>
      <SignInSettings slug={slug} />

      <h2>{t("app.delete")}</h2>
      <Confirm
        open={t("app.delete")}
        title={t("app.confirmTitle", { name })}
        text={t("app.confirmText", { name })}
        confirm={t("app.confirm", { name })}
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => void navigate("/apps", { state: { deleted: name } }),
          })
        }
      />
    </section>
  );
}
