import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "../../components/States";

interface Props {
  name: string;
  deleting: boolean;
  error: unknown;
  onConfirm: () => void;
}

/** Delete behind a confirmation that names the person; focus moves into it and back. */
export function DeleteUser({ name, deleting, error, onConfirm }: Props) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="danger" ref={openRef} onClick={() => setAsking(true)}>
        {t("user.delete")}
      </button>
    );
  }
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-labelledby="confirm-delete-title"
      aria-describedby="confirm-delete-text"
      onKeyDown={(event) => {
        if (event.key === "Escape") setAsking(false);
      }}
    >
      <h3 id="confirm-delete-title">{t("user.confirmTitle", { name })}</h3>
      <p id="confirm-delete-text">{t("user.confirmText", { name })}</p>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={() => setAsking(false)}>
          {t("user.cancel")}
        </button>
        <button type="button" className="danger" disabled={deleting} onClick={onConfirm}>
          {t("user.confirm", { name })}
        </button>
      </div>
    </div>
  );
}
