import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { App, AppRole, RoleName, User } from "../../api/client";

interface Props {
  user: User;
  apps: App[];
  saving: boolean;
  onChange: (roles: AppRole[]) => void;
}

/** One row per app, a role (or none) each; a change sends the whole new set of roles. */
export function RoleMatrix({ user, apps, saving, onChange }: Props) {
  const { t } = useTranslation();
  const prefix = useId();
  const roleOf = new Map(user.roles.map((role) => [role.app, role.role]));

  function change(app: string, value: RoleName | "") {
    const others = user.roles.filter((role) => role.app !== app);
    onChange(value ? [...others, { app, role: value }] : others);
  }

  return (
    <table className="role-matrix">
      <thead>
        <tr>
          <th scope="col">{t("users.app")}</th>
          <th scope="col">{t("users.role")}</th>
        </tr>
      </thead>
      <tbody>
        {apps.map((app) => {
          const id = `${prefix}-${app.slug}`;
          return (
            <tr key={app.slug}>
              <th scope="row">
                <label htmlFor={id}>{app.name}</label>
              </th>
              <td>
                <select
                  id={id}
                  aria-label={t("user.roleOn", { app: app.name })}
                  value={roleOf.get(app.slug) ?? ""}
                  disabled={saving}
                  onChange={(event) => change(app.slug, event.target.value as RoleName | "")}
                >
                  <option value="">{t("role.none")}</option>
                  <option value="user">{t("role.user")}</option>
                  <option value="admin">{t("role.admin")}</option>
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
