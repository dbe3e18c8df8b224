import { useId, useState, type SyntheticEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useCreateGroup, useGroups } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";

export function GroupsPage() {
  const { t } = useTranslation();
  const ids = { name: useId(), description: useId(), hint: useId(), problem: useId() };
  const groups = useGroups();
  const create = useCreateGroup();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const refused = groups.error instanceof ApiError && groups.error.status === 403;
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;
  const nameProblem = create.error instanceof ApiError ? create.error.fields.name : undefined;

  function onCreate(event: SyntheticEvent) {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), description: description.trim() },
      {
        onSuccess: (group) =>
          void navigate(`/groups/${group.id}`, { state: { created: group.name } }),
      },
    );
  }

  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">{t("groups.title")}</h1>
      {deleted ? (
        <p className="notice" role="status">
          {t("groups.deleted", { name: deleted })}
        </p>
      ) : null}
      {groups.isPending ? <Loading /> : null}
      {groups.isError ? (
        <ErrorMessage error={groups.error} retry={() => void groups.refetch()} />
      ) : null}
      {groups.data?.length === 0 ? <p className="empty">{t("groups.none")}</p> : null}
      {groups.data && groups.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("groups.name")}</th>
                <th scope="col">{t("groups.description")}</th>
                <th scope="col">{t("groups.members")}</th>
                <th scope="col">{t("groups.grants")}</th>
              </tr>
            </thead>
            <tbody>
              {groups.data.map((group) => (
                <tr key={group.id}>
                  <td>
                    <Link to={`/groups/${group.id}`}>{group.name}</Link>
                  </td>
                  <td>{group.description}</td>
                  <td>{group.members.length}</td>
                  <td>
                    <ul className="inline-list">
                      {group.grants.map((grant) => (
                        <li key={grant.app}>
                          {grant.app}: {grant.role === "admin" ? t("role.admin") : t("role.user")}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {refused ? null : (
        <form className="stacked" onSubmit={onCreate} aria-labelledby="group-create-title">
          <h2 id="group-create-title">{t("groups.create")}</h2>
          <div className="field">
            <label htmlFor={ids.name}>{t("groups.name")}</label>
            <input
              id={ids.name}
              required
              maxLength={64}
              value={name}
              aria-describedby={nameProblem ? `${ids.hint} ${ids.problem}` : ids.hint}
              aria-invalid={nameProblem ? true : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            <small id={ids.hint} className="muted">
              {t("groups.nameHint")}
            </small>
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
          {create.isError && !nameProblem ? <ErrorMessage error={create.error} /> : null}
          <div>
            <button type="submit" disabled={create.isPending}>
              {t("groups.create")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
