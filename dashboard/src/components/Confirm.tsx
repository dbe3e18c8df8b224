import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "./States";

interface Props {
  /** The button that asks (e.g. "Delete app"). */
  open: string;
  title: string;
  text: ReactNode;
  /** The button that does it, naming what it is done to (e.g. "Delete Nextcloud"). */
  confirm: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
}

/** A destructive step behind a confirmation; focus moves into it, Escape cancels. */
export function Confirm({ open, title, text, confirm, busy, error, onConfirm }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        {open}
      </button>
    );
  }
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onKeyDown={(event) => {
        if (event.key === "Escape") setAsking(false);
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      <p id={`${id}-text`}>{text}</p>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={() => setAsking(false)}>
          {t("user.cancel")}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </div>
  );
}
