import { useTranslation } from "react-i18next";
import { LOGOUT_URL } from "../../api/client";

/** A plain form POST: dashboard-api ends the session and sends the browser on to Hydra. */
export function SignOutButton() {
  const { t } = useTranslation();
  return (
    <form method="post" action={LOGOUT_URL} className="sign-out">
      <button type="submit">{t("nav.signOut")}</button>
    </form>
  );
}
