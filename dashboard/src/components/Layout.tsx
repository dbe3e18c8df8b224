import { NavLink, Outlet } from "react-router";
import { useTranslation } from "react-i18next";
import { ACCOUNT_SETTINGS_URL } from "../api/client";
import { useMe } from "../api/queries";
import { Brand } from "../features/branding/Brand";
import { SignOutButton } from "../features/session/SignOutButton";
import { LanguageSwitcher } from "./LanguageSwitcher";

export function Layout() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <a className="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header className="top">
        <NavLink to="/" className="brand">
          <Brand />
        </NavLink>
        <nav aria-label={t("nav.main")}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t("nav.myApps")}
              </NavLink>
            </li>
            {me.data?.is_admin ? (
              <>
                <li>
                  <NavLink to="/users">{t("nav.users")}</NavLink>
                </li>
                <li>
                  <NavLink to="/users/import">{t("nav.import")}</NavLink>
                </li>
                <li>
                  <NavLink to="/apps">{t("nav.apps")}</NavLink>
                </li>
                <li>
                  <NavLink to="/groups">{t("nav.groups")}</NavLink>
                </li>
                <li>
                  <NavLink to="/invitations">{t("nav.invitations")}</NavLink>
                </li>
                <li>
                  <NavLink to="/audit">{t("nav.audit")}</NavLink>
                </li>
              </>
            ) : null}
            <li>
              <a href={ACCOUNT_SETTINGS_URL}>{t("nav.account")}</a>
            </li>
          </ul>
        </nav>
        <div className="top-end">
          <LanguageSwitcher />
          <SignOutButton />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
