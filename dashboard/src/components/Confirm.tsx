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
  /** Do it; call `close` once it is done to put the question away (focus goes back). */
  onConfirm: (close: () => void) => void;
  /** The cancel button's text (default: "Cancel"). */
  cancel?: string;
  /** Styled as a destructive step (default); false for one that can be repeated. */
  danger?: boolean;
}

/** A step behind a confirmation; focus moves into it and back, Escape cancels. */
export function Confirm({
  open,
  title,
  text,
  confirm,
  busy,
  error,
  onConfirm,
  cancel,
  danger = true,
}: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const style = danger ? "danger" : undefined;
  if (!asking) {
    return (
      <button type="button" className={style} ref={openRef} onClick={() => setAsking(true)}>
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
          {cancel ?? t("user.cancel")}
        </button>
        <button
          type="button"
          className={style}
          disabled={busy}
          onClick={() => onConfirm(() => setAsking(false))}
        >
          {confirm}
        </button>
      </div>
    </div>
  );
}
