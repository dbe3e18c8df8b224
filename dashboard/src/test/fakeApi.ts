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
