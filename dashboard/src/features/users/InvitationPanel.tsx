import { useTranslation } from "react-i18next";
import { useInvitations, useSendInvitation } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import { formatTime } from "./time";

/** The latest invitation's state, and a button to mail a (new) one. */
export function InvitationPanel({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const invitations = useInvitations(userId);
  const send = useSendInvitation(userId);
  const latest = invitations.data?.items[0];

  return (
    <>
      {invitations.isPending ? <Loading /> : null}
      {invitations.isError ? <ErrorMessage error={invitations.error} /> : null}
      {invitations.data ? (
        <p>
          {latest
            ? t(`invitation.${latest.state}`, {
                sent: formatTime(latest.created_at, i18n.language),
                until: formatTime(latest.expires_at, i18n.language),
              })
            : t("invitation.never")}
        </p>
      ) : null}
      <button type="button" disabled={send.isPending} onClick={() => send.mutate()}>
        {latest ? t("invitation.resend") : t("invitation.send")}
      </button>
      <p className="save-state" role="status">
        {send.isPending ? t("invitation.sending") : send.isSuccess ? t("invitation.sent") : ""}
      </p>
      {send.isError ? <ErrorMessage error={send.error} /> : null}
    </>
  );
}
