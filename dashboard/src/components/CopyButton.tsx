import { useState } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  text: string;
  /** The button's words; "Copy" when not given. */
  label?: string;
  /** What is copied, for screen readers when the words alone do not say ("Client ID"). */
  what?: string;
  /** Said once copied; "Copied." when not given. */
  done?: string;
}

/** The one copy-to-clipboard button: copies `text` and says so (or why not) beside it. */
export function CopyButton({ text, label, what, done }: Props) {
  const { t } = useTranslation();
  const [state, setState] = useState<"" | "done" | "failed">("");

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("done");
    } catch {
      setState("failed");
    }
  }

  return (
    <span className="copy">
      <button
        type="button"
        className="secondary"
        aria-label={what ? t("copy.what", { what }) : undefined}
        onClick={() => void copy()}
      >
        {label ?? t("copy.copy")}
      </button>
      <span className="copy-state" role="status">
        {state === "done" ? (done ?? t("copy.done")) : state === "failed" ? t("copy.failed") : ""}
      </span>
    </span>
  );
}
