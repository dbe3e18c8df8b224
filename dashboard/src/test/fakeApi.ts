import { vi } from "vitest";

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (call: Call) => { status: number; body?: unknown };

/**
 * The network, for component tests: answers by "METHOD /path" like dashboard-api would
 * (JSON bodies, problem+json errors) and records every request made.
 */
export function fakeApi(handlers: Record<string, Handler | { status: number; body?: unknown }>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: Request) => {
    const url = new URL(input.url);
    const text = input.method === "GET" ? "" : await input.text();
    const call = {
      method: input.method,
      path: url.pathname + url.search,
      body: text ? (JSON.parse(text) as unknown) : null,
    };
    calls.push(call);
    const handler = handlers[`${input.method} ${url.pathname}`];
    const answer =
      handler === undefined
        ? { status: 404, body: { title: "Not Found", status: 404, detail: "no such path" } }
        : typeof handler === "function"
          ? handler(call)
          : handler;
    const problem = answer.status >= 400;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": problem ? "application/problem+json" : "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetch);
  return { calls };
}

export const ADMIN = {
  id: "id-admin",
  email: "admin@example.org",
  name: "Ada Admin",
  username: "ada",
  state: "active",
  email_verified: true,
  created_at: null,
  roles: [{ app: "dashboard", role: "admin" as const }],
  is_admin: true,
};

export const PERSON = {
  id: "id-bob",
  email: "bob@example.org",
  name: "Bob Builder",
  username: "bob",
  state: "active",
  email_verified: true,
  created_at: null,
  roles: [
    { app: "dashboard", role: "user" as const },
    { app: "demo", role: "user" as const },
  ],
};

export const APPS = [
  {
    slug: "dashboard",
    name: "Dashboard",
    url: null,
    icon_url: null,
    external: false,
    trusted: true,
    role_claim: "role",
    extra_claims: {},
    client_ids: ["dashboard"],
  },
  {
    slug: "demo",
    name: "Demo app",
    url: "http://localhost/demo/",
    icon_url: "/demo/icon.svg",
    external: false,
    trusted: false,
    role_claim: "role",
    extra_claims: {},
    client_ids: ["demo"],
  },
];

export const NEXTCLOUD_SETTINGS = {
  issuer: "http://localhost/",
  discovery_url: "http://localhost/.well-known/openid-configuration",
  client_id: "<client id>",
  client_secret: "<client secret>",
  redirect_uri: "<app url>/apps/user_oidc/code",
  scope: "openid email profile",
  token_endpoint_auth_method: "client_secret_post",
  fields: [
    { label: "Client ID", value: "<client id>" },
    { label: "Discovery endpoint", value: "http://localhost/.well-known/openid-configuration" },
  ],
  snippets: [],
};

/** Two presets of the catalogue, as GET /api/v1/apps/presets gives them (abridged). */
export const PRESETS = [
  {
    id: "nextcloud",
    name: "Nextcloud",
    summary: "Files, calendars and contacts, through the user_oidc app.",
    reference: "https://github.com/nextcloud/user_oidc",
    redirect_uri_pattern: "{app_url}/apps/user_oidc/code",
    scope: "openid email profile",
    token_endpoint_auth_method: "client_secret_post",
    reads: "ID token",
    role_claim: "role",
    groups_claim: "groups",
    username_claim: "preferred_username",
    claims: [
      { name: "preferred_username", shape: "string", use: "username" },
      { name: "groups", shape: "string list", use: "the person's groups this app may see" },
    ],
    settings: NEXTCLOUD_SETTINGS,
    notes: ["A group named admin that this app may see makes its members Nextcloud admins."],
  },
  {
    id: "generic",
    name: "Any OpenID Connect app",
    summary: "Any app that speaks OpenID Connect: every claim, standard endpoints.",
    reference: "https://openid.net/specs/openid-connect-core-1_0.html",
    redirect_uri_pattern: null,
    scope: "openid email profile offline_access",
    token_endpoint_auth_method: "client_secret_basic",
    reads: "ID token and userinfo",
    role_claim: "role",
    groups_claim: "groups",
    username_claim: "preferred_username",
    claims: [{ name: "role", shape: "role", use: '"admin" or "user": the role on this app' }],
    settings: { ...NEXTCLOUD_SETTINGS, redirect_uri: "<the app's redirect URI>", fields: [] },
    notes: [],
  },
];

export const CLIENT = {
  client_id: "client-1",
  client_name: null,
  redirect_uris: ["https://cloud.example.org/apps/user_oidc/code"],
  post_logout_redirect_uris: [],
  grant_types: ["authorization_code", "refresh_token"],
  scope: "openid email profile",
  token_endpoint_auth_method: "client_secret_post",
  in_hydra: true,
};

export const CLOUD = {
  slug: "nextcloud",
  name: "Nextcloud",
  url: "https://cloud.example.org",
  icon_url: null,
  external: false,
  trusted: false,
  role_claim: "role",
  extra_claims: {},
  client_ids: ["client-1"],
};
