import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useOffboard } from "../../api/queries";
import { ErrorMessage } from "../../components/States";

/** One-click offboarding behind a confirmation that names the person; the API's report after. */
export function Offboard({ userId, name }: { userId: string; name: string }) {
  const { t } = useTranslation();
  const keepId = useId();
  const offboard = useOffboard(userId);
  const [asking, setAsking] = useState(false);
  const [keepRoles, setKeepRoles] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);

  const report = offboard.data;
  return (
    <>
      <p>{t("offboard.note")}</p>
      <div className="check">
        <input
          id={keepId}
          type="checkbox"
          checked={keepRoles}
          onChange={(event) => setKeepRoles(event.target.checked)}
        />
        <label htmlFor={keepId}>{t("offboard.keepRoles")}</label>
      </div>
      {asking ? (
        <div
          className="confirm"
          role="alertdialog"
          aria-labelledby={`${keepId}-title`}
          onKeyDown={(event) => {
            if (event.key === "Escape") setAsking(false);
          }}
        >
          <h3 id={`${keepId}-title`}>{t("offboard.confirmTitle", { name })}</h3>
          {offboard.isError ? <ErrorMessage error={offboard.error} /> : null}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              ref={cancelRef}
              onClick={() => setAsking(false)}
            >
              {t("user.cancel")}
            </button>
            <button
              type="button"
              className="danger"
              disabled={offboard.isPending}
              onClick={() => offboard.mutate(keepRoles, { onSuccess: () => setAsking(false) })}
            >
              {t("offboard.confirm", { name })}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          {t("offboard.start")}
        </button>
      )}
      {report ? (
        <div role="status" className="notice">
          <p>
            {t("offboard.done", {
              name,
              kratos: report.kratos_sessions_ended,
              hydra: report.hydra_login_sessions_ended,
            })}
          </p>
          {report.apps.length === 0 ? (
            <p>{t("offboard.noApps")}</p>
          ) : (
            <ul>
              {report.apps.map((app) => (
                <li key={app.app}>
                  {t(app.role_kept ? "offboard.appKept" : "offboard.appRemoved", {
                    app: app.app,
                    role: app.role ?? t("role.none"),
                    clients: app.consents_revoked.length,
                  })}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </>
  );
}
