import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { MyApp } from "../../api/client";
import { RoleBadge } from "../users/RoleBadge";

export function AppCard({ app }: { app: MyApp }) {
  const { t } = useTranslation();
  const initial = app.name.trim().charAt(0).toUpperCase() || "?";
  // The app's icon when it has one and it loads; its initial otherwise (same size: no shift).
  const [iconFailed, setIconFailed] = useState(false);
  const body = (
    <>
      {app.icon_url && !iconFailed ? (
        <img
          className="app-icon app-icon-image"
          src={app.icon_url}
          alt=""
          width={40}
          height={40}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => {
            setIconFailed(true);
          }}
        />
      ) : (
        <span className="app-icon" aria-hidden="true">
          {initial}
        </span>
      )}
      <span className="app-name">{app.name}</span>
    </>
  );
  return (
    <li className="app-card">
      {app.url ? (
        <a
          className="app-link"
          href={app.url}
          {...(app.external ? { target: "_blank", rel: "noopener noreferrer" } : {})}
          aria-label={
            app.external
              ? `${t("myApps.open", { name: app.name })} (${t("myApps.external")})`
              : t("myApps.open", { name: app.name })
          }
        >
          {body}
        </a>
      ) : (
        <div className="app-link app-link-none">
          {body}
          <span className="muted">{t("myApps.noAddress")}</span>
        </div>
      )}
      <p className="app-role">
        {t("myApps.role")}: <RoleBadge role={app.role} />
      </p>
    </li>
  );
}
