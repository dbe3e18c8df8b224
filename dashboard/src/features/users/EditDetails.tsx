import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type User } from "../../api/client";
import { useUpdateUser } from "../../api/queries";
import { ErrorMessage } from "../../components/States";

type Field = "name" | "email" | "username";
const FIELDS: Field[] = ["name", "email", "username"];

/** Name, email and username, shown; one button turns them into a form and back. */
export function EditDetails({ user }: { user: User }) {
  const { t } = useTranslation();
  const prefix = useId();
  const update = useUpdateUser(user.id);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<Field, string>>({ name: "", email: "", username: "" });

  function start() {
    setDraft({ name: user.name ?? "", email: user.email ?? "", username: user.username ?? "" });
    update.reset();
    setEditing(true);
  }

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    // Only what changed; an emptied field is left as it was (the API has no "remove").
    const change = Object.fromEntries(
      FIELDS.filter((f) => draft[f].trim() && draft[f].trim() !== (user[f] ?? "")).map((f) => [
        f,
        draft[f].trim(),
      ]),
    );
    if (Object.keys(change).length === 0) {
      setEditing(false);
      return;
    }
    update.mutate(change, { onSuccess: () => setEditing(false) });
  }

  if (!editing) {
    return (
      <>
        <dl className="details">
          {FIELDS.map((f) => (
            <div key={f} className="detail">
              <dt>{t(`users.${f}`)}</dt>
              <dd>{user[f] ?? "—"}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={start}>
          {t("user.edit")}
        </button>
        <p className="save-state" role="status">
          {update.isSuccess ? t("user.saved") : ""}
        </p>
      </>
    );
  }
  const fields = update.error instanceof ApiError ? update.error.fields : {};
  return (
    <form className="stacked" onSubmit={onSubmit}>
      {FIELDS.map((f) => (
        <div className="field" key={f}>
          <label htmlFor={`${prefix}-${f}`}>{t(`users.${f}`)}</label>
          <input
            id={`${prefix}-${f}`}
            type={f === "email" ? "email" : "text"}
            value={draft[f]}
            aria-invalid={fields[f] ? true : undefined}
            onChange={(event) => setDraft({ ...draft, [f]: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === "Escape") setEditing(false);
            }}
          />
          {fields[f] ? <p className="field-problem">{fields[f]}</p> : null}
        </div>
      ))}
      {update.isError ? <ErrorMessage error={update.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? t("user.saving") : t("user.save")}
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          {t("user.cancel")}
        </button>
      </div>
    </form>
  );
}
