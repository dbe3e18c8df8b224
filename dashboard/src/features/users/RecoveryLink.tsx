import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useRecoveryCode } from "../../api/queries";
import { ErrorMessage } from "../../components/States";
import { formatTime } from "./time";

/** A one-time recovery link and code for the admin to hand over, with copy buttons. */
export function RecoveryLink({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const recovery = useRecoveryCode(userId);
  const [copied, setCopied] = useState("");

  async function copy(what: "link" | "code", text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what === "link" ? t("recovery.linkCopied") : t("recovery.codeCopied"));
    } catch {
      setCopied(t("recovery.copyFailed"));
    }
  }

  const code = recovery.data;
  return (
    <>
      <p>{t("recovery.note")}</p>
      <button type="button" disabled={recovery.isPending} onClick={() => recovery.mutate()}>
        {code ? t("recovery.again") : t("recovery.make")}
      </button>
      {recovery.isError ? <ErrorMessage error={recovery.error} /> : null}
      {code ? (
        <dl className="details recovery">
          <div className="detail">
            <dt>{t("recovery.link")}</dt>
            <dd>
              <code>{code.recovery_link}</code>{" "}
              <button type="button" onClick={() => void copy("link", code.recovery_link)}>
                {t("recovery.copyLink")}
              </button>
            </dd>
          </div>
          <div className="detail">
            <dt>{t("recovery.code")}</dt>
            <dd>
              <code>{code.recovery_code}</code>{" "}
              <button type="button" onClick={() => void copy("code", code.recovery_code)}>
                {t("recovery.copyCode")}
              </button>
            </dd>
          </div>
          <div className="detail">
            <dt>{t("recovery.until")}</dt>
            <dd>{formatTime(code.expires_at, i18n.language)}</dd>
          </div>
        </dl>
      ) : null}
      <p className="save-state" role="status">
        {copied}
      </p>
    </>
  );
}
