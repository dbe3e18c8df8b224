import { useId, useState, type SyntheticEvent } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useDeleteGroup, useGroup, useUpdateGroup, type Group } from "../../api/queries";
import { Confirm } from "../../components/Confirm";
import { ErrorMessage, Loading } from "../../components/States";
import { Grants } from "../../features/groups/Grants";
import { Members } from "../../features/groups/Members";

export function GroupPage() {
  const { t } = useTranslation();
  const { groupId = "" } = useParams();
  const id = /^\d+$/.test(groupId) ? Number(groupId) : 0;
  const group = useGroup(id);
  const navigate = useNavigate();
  const remove = useDeleteGroup(id);
  const created = (useLocation().state as { created?: string } | null)?.created;

  if (group.isPending) return <Loading />;
  if (group.isError) return <ErrorMessage error={group.error} retry={() => void group.refetch()} />;
  const { name } = group.data;

  return (
    <section aria-labelledby="group-title">
      <p>
        <Link to="/groups">← {t("groups.back")}</Link>
      </p>
      <h1 id="group-title">{name}</h1>
      {created ? (
        <p className="notice" role="status">
          {t("groups.created", { name: created })}
        </p>
      ) : null}
      <EditGroup key={`${group.data.name}/${group.data.description}`} group={group.data} />

      <h2>{t("groups.members")}</h2>
      <Members group={group.data} />

      <h2>{t("groups.grants")}</h2>
      <Grants group={group.data} />

      <h2>{t("groups.delete")}</h2>
      <Confirm
        open={t("groups.delete")}
        title={t("groups.confirmTitle", { name })}
        text={t("groups.confirmText", { name, count: group.data.members.length })}
        confirm={t("groups.confirm", { name })}
        cancel={t("groups.cancel")}
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => void navigate("/groups", { state: { deleted: name } }),
          })
        }
      />
    </section>
  );
}

function EditGroup({ group }: { group: Group }) {
  const { t } = useTranslation();
  const ids = { name: useId(), description: useId(), problem: useId() };
  const update = useUpdateGroup(group.id);
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const nameProblem = update.error instanceof ApiError ? update.error.fields.name : undefined;

  function onSave(event: SyntheticEvent) {
    event.preventDefault();
    update.mutate({ name: name.trim(), description: description.trim() });
  }

  return (
    <form className="stacked" onSubmit={onSave}>
      <div className="field">
        <label htmlFor={ids.name}>{t("groups.name")}</label>
        <input
          id={ids.name}
          required
          maxLength={64}
          value={name}
          aria-invalid={nameProblem ? true : undefined}
          aria-describedby={nameProblem ? ids.problem : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {nameProblem ? (
          <p id={ids.problem} className="field-problem">
            {nameProblem}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={ids.description}>{t("groups.description")}</label>
        <input
          id={ids.description}
          maxLength={255}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      {update.isError && !nameProblem ? <ErrorMessage error={update.error} /> : null}
      <div>
        <button type="submit" disabled={update.isPending}>
          {t("groups.edit")}
        </button>
      </div>
      <p className="save-state" role="status" aria-live="polite">
        {update.isSuccess ? t("groups.saved") : ""}
      </p>
    </form>
  );
}
