import { useTranslation } from "react-i18next";
import {
  useEndSession,
  useResetSecondFactor,
  useRevokeSessions,
  useSessions,
} from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import { formatTime } from "./time";

/** Reset the second factor; the person's sessions, ending one or all of them. */
export function SecurityPanel({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const reset = useResetSecondFactor(userId);
  const sessions = useSessions(userId);
  const revoke = useRevokeSessions(userId);
  const end = useEndSession(userId);

  return (
    <>
      <h2>{t("security.secondFactor")}</h2>
      <p>{t("security.resetNote")}</p>
      <button type="button" disabled={reset.isPending} onClick={() => reset.mutate()}>
        {t("security.reset")}
      </button>
      <p className="save-state" role="status">
        {reset.isSuccess ? t("security.resetDone") : ""}
      </p>
      {reset.isError ? <ErrorMessage error={reset.error} /> : null}

      <h2>{t("security.sessions")}</h2>
      {sessions.isPending ? <Loading /> : null}
      {sessions.isError ? (
        <ErrorMessage error={sessions.error} retry={() => void sessions.refetch()} />
      ) : null}
      {sessions.data && sessions.data.length === 0 ? (
        <p className="empty">{t("security.noSessions")}</p>
      ) : null}
      {sessions.data && sessions.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("security.signedIn")}</th>
                <th scope="col">{t("security.expires")}</th>
                <th scope="col">{t("security.methods")}</th>
                <th scope="col">{t("security.state")}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((s) => (
                <tr key={s.id}>
                  <td>{formatTime(s.authenticated_at, i18n.language)}</td>
                  <td>{formatTime(s.expires_at, i18n.language)}</td>
                  <td>
                    {s.methods.join(", ") || "—"}
                    {s.aal ? ` (${s.aal})` : ""}
                  </td>
                  <td>
                    {s.active ? (
                      <button
                        type="button"
                        className="secondary"
                        disabled={end.isPending}
                        onClick={() => end.mutate(s.id)}
                      >
                        {t("security.endOne")}
                      </button>
                    ) : (
                      t("security.ended")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="save-state" role="status">
        {end.isSuccess ? t("security.endedOne") : ""}
      </p>
      {end.isError ? <ErrorMessage error={end.error} /> : null}
      <button
        type="button"
        className="danger"
        disabled={revoke.isPending || !sessions.data}
        onClick={() => revoke.mutate()}
      >
        {t("security.revokeAll")}
      </button>
      <p className="save-state" role="status">
        {revoke.isSuccess ? t("security.revoked") : ""}
      </p>
      {revoke.isError ? <ErrorMessage error={revoke.error} /> : null}
    </>
  );
}
