import { useTranslation } from "react-i18next";
import { useAppSignIn, useClients } from "../../api/queries";
import { ErrorMessage, Loading } from "../../components/States";
import { SettingsList, type Row } from "./SettingsList";

/** What to type into the app: the issuer, each client's id, redirect URI and scopes, the claims. */
export function SignInSettings({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const signIn = useAppSignIn(slug);
  const clients = useClients(slug);
  if (signIn.isPending) return <Loading />;
  if (signIn.isError)
    return <ErrorMessage error={signIn.error} retry={() => void signIn.refetch()} />;
  const s = signIn.data;
  const claims: Row[] = [
    { label: t("app.roleClaim"), value: s.role_claim },
    { label: t("settings.groupsClaim"), value: s.groups_claim ?? "" },
    ...s.extra_claims.map((name) => ({ label: t("settings.extraClaim"), value: name })),
  ];
  return (
    <>
      <p>{t("settings.note")}</p>
      <SettingsList
        rows={[
          { label: t("settings.issuer"), value: s.issuer },
          { label: t("settings.discoveryUrl"), value: s.discovery_url },
        ]}
      />
      {clients.data?.map((client) => (
        <div key={client.client_id}>
          <h3>{t("settings.forClient", { id: client.client_id })}</h3>
          <SettingsList
            rows={[
              { label: t("clients.clientId"), value: client.client_id },
              ...(client.redirect_uris ?? []).map((uri) => ({
                label: t("settings.redirectUri"),
                value: uri,
              })),
              { label: t("settings.scope"), value: client.scope ?? "" },
              { label: t("settings.authMethod"), value: client.token_endpoint_auth_method ?? "" },
            ]}
          />
        </div>
      ))}
      {clients.isError ? <ErrorMessage error={clients.error} /> : null}
      <p className="muted">{t("settings.secretElsewhere")}</p>
      <h3>{t("settings.claims")}</h3>
      <SettingsList rows={claims} />
    </>
  );
}
