import { useTranslation } from "react-i18next";

export function RoleBadge({ role }: { role: string }) {
  const { t } = useTranslation();
  const known = role === "admin" || role === "user";
  return (
    <span className={`badge badge-${known ? role : "other"}`}>
      {known ? t(`role.${role}`) : role}
    </span>
  );
}
