import { useId, useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { useAllInvitations, useInvitationAction, type InvitationState } from "../../api/queries";
import { Confirm } from "../../components/Confirm";
import { ErrorMessage, Loading } from "../../components/States";
import { formatTime } from "../../features/users/time";

const STATES: InvitationState[] = ["pending", "accepted", "expired", "withdrawn"];

export function InvitationsPage() {
  const { t, i18n } = useTranslation();
  const stateId = useId();
  const [state, setState] = useState<InvitationState | "">("pending");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const invitations = useAllInvitations(state, cursor);
  const act = useInvitationAction();
  const [done, setDone] = useState("");
  const refused = invitations.error instanceof ApiError && invitations.error.status === 403;

  return (
    <section aria-labelledby="invitations-title">
      <h1 id="invitations-title">{t("invitations.title")}</h1>
      {refused ? null : (
        <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
          <div className="field">
            <label htmlFor={stateId}>{t("invitations.state")}</label>
            <select
              id={stateId}
              value={state}
              onChange={(event) => {
                setState(event.target.value as InvitationState | "");
                setCursors([null]);
              }}
            >
              <option value="">{t("invitations.anyState")}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`invitations.states.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </form>
      )}
      <p className="save-state" role="status" aria-live="polite">
        {done}
      </p>
      {invitations.isPending ? <Loading /> : null}
      {invitations.isError ? (
        <ErrorMessage error={invitations.error} retry={() => void invitations.refetch()} />
      ) : null}
      {invitations.data ? (
        <>
          {invitations.data.items.length === 0 ? (
            <p className="empty">{t("invitations.none")}</p>
          ) : (
            <div className="table-wrap">
              <table aria-busy={invitations.isPlaceholderData}>
                <thead>
                  <tr>
                    <th scope="col">{t("invitations.person")}</th>
                    <th scope="col">{t("invitations.state")}</th>
                    <th scope="col">{t("invitations.invitedBy")}</th>
                    <th scope="col">{t("invitations.sent")}</th>
                    <th scope="col">{t("invitations.expires")}</th>
                    <th scope="col">{t("invitations.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.items.map((invitation) => {
                    const name = invitation.name ?? invitation.email;
                    const open = invitation.state === "pending" || invitation.state === "expired";
                    const busy = act.isPending && act.variables.id === invitation.id;
                    const failed = act.isError && act.variables.id === invitation.id;
                    return (
                      <tr key={invitation.id}>
                        <td>
                          <Link to={`/users/${encodeURIComponent(invitation.user_id)}`}>
                            {name}
                          </Link>
                          {invitation.name ? <div className="muted">{invitation.email}</div> : null}
                        </td>
                        <td>{t(`invitations.states.${invitation.state}`)}</td>
                        <td>{invitation.invited_by_name ?? invitation.invited_by}</td>
                        <td className="nowrap">
                          {formatTime(invitation.created_at, i18n.language)}
                        </td>
                        <td className="nowrap">
                          {formatTime(invitation.expires_at, i18n.language)}
                        </td>
                        <td>
                          {open ? (
                            <div className="actions">
                              <Confirm
                                danger={false}
                                open={t("invitations.resend", { name })}
                                title={t("invitations.resend", { name })}
                                text={t("invitations.confirmResend", { name })}
                                confirm={t("invitations.yesResend")}
                                cancel={t("invitations.cancel")}
                                busy={busy && act.variables.action === "resend"}
                                error={
                                  failed && act.variables.action === "resend" ? act.error : null
                                }
                                onConfirm={(close) =>
                                  act.mutate(
                                    { id: invitation.id, action: "resend" },
                                    {
                                      onSuccess: () => {
                                        close();
                                        setDone(t("invitations.resent", { name }));
                                      },
                                    },
                                  )
                                }
                              />
                              {invitation.state === "pending" ? (
                                <Confirm
                                  open={t("invitations.withdraw", { name })}
                                  title={t("invitations.withdraw", { name })}
                                  text={t("invitations.confirmWithdraw", { name })}
                                  confirm={t("invitations.yesWithdraw")}
                                  cancel={t("invitations.cancel")}
                                  busy={busy && act.variables.action === "withdraw"}
                                  error={
                                    failed && act.variables.action === "withdraw" ? act.error : null
                                  }
                                  onConfirm={(close) =>
                                    act.mutate(
                                      { id: invitation.id, action: "withdraw" },
                                      {
                                        onSuccess: () => {
                                          close();
                                          setDone(t("invitations.withdrawn", { name }));
                                        },
                                      },
                                    )
                                  }
                                />
                              ) : null}
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager" aria-label={t("users.page", { page: cursors.length })}>
            <button
              type="button"
              disabled={cursors.length === 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t("users.previous")}
            </button>
            <span>{t("users.page", { page: cursors.length })}</span>
            <button
              type="button"
              disabled={!invitations.data.next_cursor || invitations.isPlaceholderData}
              onClick={() => {
                const next = invitations.data.next_cursor;
                if (next) setCursors([...cursors, next]);
              }}
            >
              {t("users.next")}
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
