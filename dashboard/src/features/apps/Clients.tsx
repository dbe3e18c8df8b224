import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Client, type ClientWithSecret } from "../../api/client";
import {
  useClients,
  useCreateClient,
  useDeleteClient,
  useRotateSecret,
  useUpdateClient,
} from "../../api/queries";
import { Confirm } from "../../components/Confirm";
import { ErrorMessage, Loading } from "../../components/States";
import { SecretOnce } from "./SecretOnce";

const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
type AuthMethod = (typeof AUTH_METHODS)[number];
const DEFAULT_SCOPE = "openid email profile offline_access";

/** One URI a line, blank lines left out. */
function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A 422 about one of the URIs (loc ends in its index): the message beside the list. */
function uriProblem(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const about = error.errors.find((e) => e.loc.includes(field));
  return about ? about.msg : error.fields[field];
}

/** The app's OAuth2 clients: each with its redirect URIs, a new secret and delete; a new one. */
export function Clients({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const clients = useClients(slug);
  return (
    <>
      {clients.isPending ? <Loading /> : null}
      {clients.isError ? (
        <ErrorMessage error={clients.error} retry={() => void clients.refetch()} />
      ) : null}
      {clients.data?.length === 0 ? <p className="empty">{t("clients.none")}</p> : null}
      {clients.data?.map((client) => (
        <ClientCard key={client.client_id} slug={slug} client={client} />
      ))}
      <NewClient slug={slug} />
    </>
  );
}

function ClientCard({ slug, client }: { slug: string; client: Client }) {
  const { t } = useTranslation();
  const base = useId();
  const update = useUpdateClient(slug, client.client_id);
  const rotate = useRotateSecret(slug, client.client_id);
  const remove = useDeleteClient(slug, client.client_id);
  const [editing, setEditing] = useState(false);
  const [uris, setUris] = useState("");
  const label = client.client_name
    ? `${client.client_name} (${client.client_id})`
    : client.client_id;

  function onSave(event: SyntheticEvent) {
    event.preventDefault();
    update.mutate({ redirect_uris: lines(uris) }, { onSuccess: () => setEditing(false) });
  }

  const problem = uriProblem(update.error, "redirect_uris");
  return (
    <article className="client-card" aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`}>
        <code>{client.client_id}</code>
        {client.client_name ? ` ${client.client_name}` : ""}
      </h3>
      {client.in_hydra ? null : (
        <p className="state state-error" role="alert">
          {t("clients.notInHydra")}
        </p>
      )}
      <dl className="details">
        <div className="detail">
          <dt>{t("clients.redirectUris")}</dt>
          <dd>
            {(client.redirect_uris ?? []).length > 0 ? (
              <ul className="plain">
                {(client.redirect_uris ?? []).map((uri) => (
                  <li key={uri}>
                    <code>{uri}</code>
                  </li>
                ))}
              </ul>
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div className="detail">
          <dt>{t("settings.scope")}</dt>
          <dd>
            <code>{client.scope ?? "—"}</code>
          </dd>
        </div>
        <div className="detail">
          <dt>{t("settings.authMethod")}</dt>
          <dd>
            <code>{client.token_endpoint_auth_method ?? "—"}</code>
          </dd>
        </div>
      </dl>
      {editing ? (
        <form className="stacked" noValidate onSubmit={onSave}>
          <div className="field">
            <label htmlFor={`${base}-uris`}>{t("clients.redirectUrisEdit")}</label>
            <textarea
              id={`${base}-uris`}
              rows={3}
              spellCheck={false}
              value={uris}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${base}-uris-problem`}
              onChange={(event) => setUris(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Escape") setEditing(false);
              }}
            />
            <p id={`${base}-uris-problem`} className="field-problem">
              {problem ?? ""}
            </p>
          </div>
          {update.isError ? <ErrorMessage error={update.error} /> : null}
          <div className="actions">
            <button type="submit" disabled={update.isPending}>
              {update.isPending ? t("user.saving") : t("user.save")}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t("user.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setUris((client.redirect_uris ?? []).join("\n"));
              update.reset();
              setEditing(true);
            }}
          >
            {t("clients.editUris")}
          </button>
          {client.token_endpoint_auth_method === "none" ? null : (
            <button type="button" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
              {t("clients.rotate")}
            </button>
          )}
        </div>
      )}
      <p className="save-state" role="status">
        {update.isSuccess && !editing ? t("user.saved") : ""}
      </p>
      {rotate.isError ? <ErrorMessage error={rotate.error} /> : null}
      {rotate.data ? (
        <>
          <p className="notice" role="status">
            {t("clients.rotated")}
          </p>
          <SecretOnce client={rotate.data} />
        </>
      ) : null}
      <Confirm
        open={t("clients.delete")}
        title={t("clients.confirmTitle", { name: label })}
        text={t("clients.confirmText", { name: label })}
        confirm={t("clients.confirm", { name: label })}
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
      />
    </article>
  );
}

function NewClient({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const base = useId();
  const create = useCreateClient(slug);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [uris, setUris] = useState("");
  const [scope, setScope] = useState(DEFAULT_SCOPE);
  const [method, setMethod] = useState<AuthMethod>("client_secret_basic");
  const [missing, setMissing] = useState(false);
  const [made, setMade] = useState<ClientWithSecret | null>(null);

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    const redirect = lines(uris);
    setMissing(redirect.length === 0);
    if (redirect.length === 0) {
      document.getElementById(`${base}-uris`)?.focus();
      return;
    }
    create.mutate(
      {
        redirect_uris: redirect,
        scope: scope.trim(),
        token_endpoint_auth_method: method,
        ...(name.trim() ? { client_name: name.trim() } : {}),
      },
      {
        onSuccess: (client) => {
          setMade(client);
          setOpen(false);
          setName("");
          setUris("");
        },
      },
    );
  }

  const problems = create.error instanceof ApiError ? create.error.fields : {};
  const uriMessage = missing ? t("clients.urisMissing") : uriProblem(create.error, "redirect_uris");
  return (
    <div className="new-client">
      {made ? (
        <>
          <p className="notice" role="status">
            {t("clients.created", { id: made.client_id })}
          </p>
          <SecretOnce client={made} />
        </>
      ) : null}
      {open ? (
        <form className="stacked" noValidate onSubmit={onSubmit}>
          <h3>{t("clients.new")}</h3>
          <div className="field">
            <label htmlFor={`${base}-name`}>
              {t("clients.name")} {t("newUser.optional")}
            </label>
            <input
              id={`${base}-name`}
              // The form opens on a click: the first field takes the focus.
              autoFocus
              value={name}
              autoComplete="off"
              onChange={(event) => setName(event.target.value)}
            />
            <p className="field-problem">{problems.client_name ?? ""}</p>
          </div>
          <div className="field">
            <label htmlFor={`${base}-uris`}>{t("clients.redirectUrisEdit")}</label>
            <textarea
              id={`${base}-uris`}
              rows={3}
              spellCheck={false}
              value={uris}
              aria-invalid={uriMessage ? true : undefined}
              aria-describedby={`${base}-uris-problem`}
              onChange={(event) => setUris(event.target.value)}
            />
            <p id={`${base}-uris-problem`} className="field-problem">
              {uriMessage ?? ""}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${base}-scope`}>{t("settings.scope")}</label>
            <input
              id={`${base}-scope`}
              value={scope}
              autoComplete="off"
              aria-invalid={problems.scope ? true : undefined}
              onChange={(event) => setScope(event.target.value)}
            />
            <p className="field-problem">{problems.scope ?? ""}</p>
          </div>
          <div className="field">
            <label htmlFor={`${base}-method`}>{t("settings.authMethod")}</label>
            <select
              id={`${base}-method`}
              value={method}
              onChange={(event) => setMethod(event.target.value as AuthMethod)}
            >
              {AUTH_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
          {create.isError ? <ErrorMessage error={create.error} /> : null}
          <div className="actions">
            <button type="submit" disabled={create.isPending}>
              {create.isPending ? t("newApp.creating") : t("clients.create")}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              {t("user.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          onClick={() => {
            create.reset();
            setMissing(false);
            setMade(null);
            setOpen(true);
          }}
        >
          {t("clients.add")}
        </button>
      )}
    </div>
  );
}
