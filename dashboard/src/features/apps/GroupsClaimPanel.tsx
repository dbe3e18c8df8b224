import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useGroups, useGroupsClaim, useSetGroupsClaim } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";

/** The app's groups claim: its name (none: no such claim) and the groups it may name. */
export function GroupsClaimPanel({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const base = useId();
  const claim = useGroupsClaim(slug);
  const groups = useGroups();
  const save = useSetGroupsClaim(slug);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);

  if (claim.isPending) return <Loading />;
  if (claim.isError) return <ErrorMessage error={claim.error} retry={() => void claim.refetch()} />;
  const visible = claim.data.groups ?? [];

  function start() {
    setName(claim.data?.claim ?? "");
    setChosen(claim.data?.groups ?? []);
    save.reset();
    setEditing(true);
  }

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    save.mutate(
      { claim: name.trim() || null, groups: chosen },
      { onSuccess: () => setEditing(false) },
    );
  }

  if (!editing) {
    return (
      <>
        <dl className="details">
          <div className="detail">
            <dt>{t("settings.groupsClaim")}</dt>
            <dd>{claim.data.claim ? <code>{claim.data.claim}</code> : t("settings.empty")}</dd>
          </div>
          <div className="detail">
            <dt>{t("groupsClaim.visible")}</dt>
            <dd>{visible.length > 0 ? visible.join(", ") : t("settings.empty")}</dd>
          </div>
        </dl>
        <button type="button" onClick={start}>
          {t("groupsClaim.edit")}
        </button>
        <p className="save-state" role="status">
          {save.isSuccess ? t("user.saved") : ""}
        </p>
      </>
    );
  }
  const problems = save.error instanceof ApiError ? save.error.fields : {};
  return (
    <form
      className="stacked"
      noValidate
      onSubmit={onSubmit}
      onKeyDown={(event) => {
        if (event.key === "Escape") setEditing(false);
      }}
    >
      <div className="field">
        <label htmlFor={`${base}-claim`}>{t("settings.groupsClaim")}</label>
        <p className="muted hint" id={`${base}-hint`}>
          {t("groupsClaim.hint")}
        </p>
        <input
          id={`${base}-claim`}
          value={name}
          autoComplete="off"
          aria-invalid={problems.claim ? true : undefined}
          aria-describedby={`${base}-hint ${base}-problem`}
          onChange={(event) => setName(event.target.value)}
        />
        <p id={`${base}-problem`} className="field-problem">
          {problems.claim ?? ""}
        </p>
      </div>
      <fieldset>
        <legend>{t("groupsClaim.visible")}</legend>
        {groups.isPending ? <Loading /> : null}
        {groups.isError ? <ErrorMessage error={groups.error} /> : null}
        {groups.data?.length === 0 ? <p className="empty">{t("groupsClaim.noGroups")}</p> : null}
        {groups.data?.map((group) => (
          <div className="check" key={group.id}>
            <input
              id={`${base}-group-${String(group.id)}`}
              type="checkbox"
              checked={chosen.includes(group.name)}
              onChange={(event) =>
                setChosen(
                  event.target.checked
                    ? [...chosen, group.name]
                    : chosen.filter((g) => g !== group.name),
                )
              }
            />
            <label htmlFor={`${base}-group-${String(group.id)}`}>{group.name}</label>
          </div>
        ))}
        <p className="field-problem">{problems.groups ?? ""}</p>
      </fieldset>
      {save.isError ? <ErrorMessage error={save.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t("user.saving") : t("user.save")}
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          {t("user.cancel")}
        </button>
      </div>
    </form>
  );
}
