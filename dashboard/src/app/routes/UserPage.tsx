import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useApps, useDeleteUser, useUpdateUser, useUser } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import { DeleteUser } from "../../features/users/DeleteUser";
import { EditDetails } from "../../features/users/EditDetails";
import { InvitationPanel } from "../../features/users/InvitationPanel";
import { Offboard } from "../../features/users/Offboard";
import { RecoveryLink } from "../../features/users/RecoveryLink";
import { RoleMatrix } from "../../features/users/RoleMatrix";
import { SecurityPanel } from "../../features/users/SecurityPanel";

export function UserPage() {
  const { t } = useTranslation();
  const { userId = "" } = useParams();
  const navigate = useNavigate();
  const user = useUser(userId);
  const apps = useApps();
  const update = useUpdateUser(userId);
  const remove = useDeleteUser(userId);
  const created = useLocation().state as { created?: string; invited?: boolean } | null;

  if (user.isPending) return <Loading />;
  if (user.isError) return <ErrorMessage error={user.error} retry={() => void user.refetch()} />;
  const person = user.data;
  const label = person.name ?? person.email ?? person.id;
  const active = person.state === "active";

  return (
    <section aria-labelledby="user-title">
      <p>
        <Link to="/users">← {t("user.back")}</Link>
      </p>
      <h1 id="user-title">{label}</h1>
      {created?.created ? (
        <p className="notice" role="status">
          {t(created.invited ? "newUser.createdInvited" : "newUser.created", {
            name: created.created,
          })}
        </p>
      ) : null}
      <h2>{t("user.details")}</h2>
      <EditDetails key={person.id} user={person} />

      <h2>{t("user.roleMatrix")}</h2>
      {apps.isPending ? <Loading /> : null}
      {apps.isError ? <ErrorMessage error={apps.error} /> : null}
      {apps.data ? (
        <RoleMatrix
          user={person}
          apps={apps.data}
          saving={update.isPending}
          onChange={(roles) => update.mutate({ roles })}
        />
      ) : null}
      <p className="save-state" role="status" aria-live="polite">
        {update.isPending ? t("user.saving") : update.isSuccess ? t("user.saved") : ""}
      </p>
      {update.isError ? <ErrorMessage error={update.error} /> : null}

      <h2>{t("user.state")}</h2>
      <p>{active ? t("user.activeNote") : t("user.inactiveNote")}</p>
      <button
        type="button"
        disabled={update.isPending}
        onClick={() => update.mutate({ state: active ? "inactive" : "active" })}
      >
        {active ? t("user.deactivate") : t("user.activate")}
      </button>

      <h2>{t("invitation.title")}</h2>
      <InvitationPanel userId={person.id} />

      <h2>{t("recovery.title")}</h2>
      <RecoveryLink userId={person.id} />

      <SecurityPanel userId={person.id} />

      <h2>{t("offboard.title")}</h2>
      <Offboard userId={person.id} name={label} />

      <h2>{t("user.delete")}</h2>
      <DeleteUser
        name={label}
        deleting={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => void navigate("/users", { state: { deleted: label } }),
          })
        }
      />
    </section>
  );
}
