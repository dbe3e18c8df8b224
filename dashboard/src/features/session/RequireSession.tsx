import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, loginUrl } from "../../api/client";
import { useMe } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";

// Leaving the single-page app (tests watch this: jsdom cannot navigate).
export const browser = {
  leaveTo: (url: string) => {
    window.location.assign(url);
  },
};

/** Send the browser to dashboard-api's login, back to this page afterwards. */
export function goToLogin(): void {
  const here = window.location.pathname + window.location.search;
  browser.leaveTo(loginUrl(here.startsWith("/") ? here : "/"));
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** Children render only with a session; without one the browser goes to sign in. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const signedOut = isUnauthenticated(me.error);
  useEffect(() => {
    if (signedOut) goToLogin();
  }, [signedOut]);
  if (signedOut)
    return (
      <p className="state" role="status">
        {t("state.signingIn")}
      </p>
    );
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorMessage error={me.error} retry={() => void me.refetch()} />;
  return <>{children}</>;
}
