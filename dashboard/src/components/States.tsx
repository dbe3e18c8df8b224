import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="state" role="status" aria-live="polite">
      {t("state.loading")}
    </p>
  );
}

/** An error in words: the API's problem detail, and a retry where one makes sense. */
export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const detail = error instanceof ApiError ? (error.detail ?? error.message) : String(error);
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="state state-error" role="alert">
      <p>{forbidden ? t("state.forbidden", { detail }) : t("state.error", { detail })}</p>
      {retry && !forbidden ? (
        <button type="button" onClick={retry}>
          {t("state.retry")}
        </button>
      ) : null}
    </div>
  );
}
