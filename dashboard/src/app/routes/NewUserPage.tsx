import { useId, useState, type SyntheticEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError, type AppRole, type RoleName } from "../../api/client";
import { useApps, useCreateUser } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";

// As the API's schema (deploy/ory/identity.schema.json): checked here too, to say it early.
const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Field = "email" | "name" | "username";

export function NewUserPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ids = { email: useId(), name: useId(), username: useId(), invite: useId() };
  const apps = useApps();
  const create = useCreateUser();
  const [form, setForm] = useState({ email: "", name: "", username: "", invite: true });
  const [roles, setRoles] = useState<Record<string, RoleName | "">>({ dashboard: "user" });
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});

  function check(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    if (!form.email.trim()) found.email = t("newUser.emailMissing");
    else if (!EMAIL.test(form.email.trim())) found.email = t("newUser.emailInvalid");
    if (form.name.length > 100) found.name = t("newUser.nameTooLong");
    if (form.username && (!USERNAME.test(form.username) || form.username.length > 64))
      found.username = t("newUser.usernameInvalid");
    return found;
  }

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    const found = check();
    setProblems(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(ids[Object.keys(found)[0] as Field])?.focus();
      return;
    }
    const chosen: AppRole[] = Object.entries(roles).flatMap(([app, role]) =>
      role ? [{ app, role }] : [],
    );
    const name = form.name.trim();
    create.mutate(
      {
        email: form.email.trim(),
        invite: form.invite,
        roles: chosen,
        ...(name ? { name } : {}),
        ...(form.username ? { username: form.username } : {}),
      },
      {
        onSuccess: (user) =>
          void navigate(`/users/${encodeURIComponent(user.id)}`, {
            state: { created: user.name ?? user.email ?? user.id, invited: form.invite },
          }),
        onError: (error) => {
          if (error instanceof ApiError) setProblems(error.fields);
        },
      },
    );
  }

  function field(name: Field, type: string, autoComplete: string) {
    const problem = problems[name];
    const hint = `${ids[name]}-problem`;
    return (
      <div className="field">
        <label htmlFor={ids[name]}>
          {t(`users.${name}`)}
          {name === "email" ? "" : ` ${t("newUser.optional")}`}
        </label>
        <input
          id={ids[name]}
          type={type}
          autoComplete={autoComplete}
          required={name === "email"}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? hint : undefined}
          value={form[name]}
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        />
        <p id={hint} className="field-problem">
          {problem ?? ""}
        </p>
      </div>
    );
  }

  return (
    <section aria-labelledby="new-user-title">
      <p>
        <Link to="/users">← {t("user.back")}</Link>
      </p>
      <h1 id="new-user-title">{t("newUser.title")}</h1>
      <form className="stacked" noValidate onSubmit={onSubmit}>
        {field("name", "text", "off")}
        {field("email", "email", "off")}
        {field("username", "text", "off")}
        <fieldset>
          <legend>{t("user.roleMatrix")}</legend>
          {apps.isPending ? <Loading /> : null}
          {apps.isError ? <ErrorMessage error={apps.error} /> : null}
          {apps.data?.map((app) => (
            <div className="field" key={app.slug}>
              <label htmlFor={`${ids.email}-${app.slug}`}>
                {t("user.roleOn", { app: app.name })}
              </label>
              <select
                id={`${ids.email}-${app.slug}`}
                value={roles[app.slug] ?? ""}
                onChange={(event) =>
                  setRoles({ ...roles, [app.slug]: event.target.value as RoleName | "" })
                }
              >
                <option value="">{t("role.none")}</option>
                <option value="user">{t("role.user")}</option>
                <option value="admin">{t("role.admin")}</option>
              </select>
            </div>
          ))}
        </fieldset>
        <div className="check">
          <input
            id={ids.invite}
            type="checkbox"
            checked={form.invite}
            onChange={(event) => setForm({ ...form, invite: event.target.checked })}
          />
          <label htmlFor={ids.invite}>{t("newUser.invite")}</label>
        </div>
        {create.isError ? <ErrorMessage error={create.error} /> : null}
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? t("newUser.creating") : t("newUser.create")}
          </button>
        </div>
      </form>
    </section>
  );
}
