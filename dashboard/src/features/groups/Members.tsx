import { useId, useState, type SyntheticEvent } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useAddMember, useRemoveMember, useUsers, type Group } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";

/** The group's members by name, each removable; people found by email, name or username. */
export function Members({ group }: { group: Group }) {
  const { t } = useTranslation();
  const id = useId();
  const add = useAddMember(group.id);
  const remove = useRemoveMember(group.id);
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  const people = new Map(group.people.map((p) => [p.id, p]));
  const label = (subject: string) => {
    const person = people.get(subject);
    return person
      ? (person.name ?? person.email ?? person.username ?? subject)
      : t("groups.deletedPerson", { id: subject });
  };

  function onFind(event: SyntheticEvent) {
    event.preventDefault();
    setQ(draft.trim());
  }

  return (
    <>
      {group.members.length === 0 ? (
        <p className="empty">{t("groups.noMembers")}</p>
      ) : (
        <ul className="member-list">
          {group.members.map((subject) => (
            <li key={subject}>
              <Link to={`/users/${encodeURIComponent(subject)}`}>{label(subject)}</Link>
              {people.get(subject)?.email ? (
                <span className="muted"> {people.get(subject)?.email}</span>
              ) : null}
              <button
                type="button"
                className="secondary"
                disabled={remove.isPending}
                onClick={() => remove.mutate(subject)}
              >
                {t("groups.remove", { name: label(subject) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
      <form className="filters" role="search" onSubmit={onFind}>
        <div className="field">
          <label htmlFor={id}>{t("groups.findPerson")}</label>
          <input
            id={id}
            type="search"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
        </div>
        <button type="submit">{t("groups.find")}</button>
      </form>
      {q ? <Candidates q={q} group={group} onAdd={(subject) => add.mutate(subject)} /> : null}
      {add.isError ? <ErrorMessage error={add.error} /> : null}
    </>
  );
}

function Candidates({
  q,
  group,
  onAdd,
}: {
  q: string;
  group: Group;
  onAdd: (subject: string) => void;
}) {
  const { t } = useTranslation();
  const found = useUsers({ q, app: "", role: "" }, null);
  if (found.isPending) return <Loading />;
  if (found.isError) return <ErrorMessage error={found.error} />;
  const candidates = found.data.items.filter((user) => !group.members.includes(user.id));
  if (candidates.length === 0) return <p className="empty">{t("groups.noMatch")}</p>;
  return (
    <ul className="member-list">
      {candidates.map((user) => {
        const name = user.name ?? user.email ?? user.username ?? user.id;
        return (
          <li key={user.id}>
            <span>{name}</span>
            {user.email ? <span className="muted"> {user.email}</span> : null}
            <button type="button" onClick={() => onAdd(user.id)}>
              {t("groups.add", { name })}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
