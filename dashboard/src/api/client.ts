import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Branding = components["schemas"]["Branding"];
export type Me = components["schemas"]["Me"];
export type User = components["schemas"]["User"];
export type AppRole = components["schemas"]["AppRole"];
export type MyApp = components["schemas"]["MyApp"];
export type App = components["schemas"]["AppOut"];
export type AppCreate = components["schemas"]["AppCreate"];
export type AppUpdate = components["schemas"]["AppUpdate"];
export type AppFromPreset = components["schemas"]["AppFromPreset"];
export type AppCreatedFromPreset = components["schemas"]["AppCreatedFromPreset"];
export type AppSettings = components["schemas"]["AppSettings"];
export type AppSignIn = components["schemas"]["AppSignIn"];
export type Preset = components["schemas"]["PresetOut"];
export type Client = components["schemas"]["ClientOut"];
export type ClientCreate = components["schemas"]["ClientCreate"];
export type ClientUpdate = components["schemas"]["ClientUpdate"];
export type ClientWithSecret = components["schemas"]["ClientWithSecret"];
export type GroupsClaim = components["schemas"]["GroupsClaim"];
export type RoleName = AppRole["role"];
export type Problem = components["schemas"]["Problem"];
export type UserCreate = components["schemas"]["UserCreate"];
export type Invitation = components["schemas"]["InvitationOut"];
export type UserSession = components["schemas"]["UserSession"];
export type RecoveryCode = components["schemas"]["RecoveryCode"];
export type OffboardReport = components["schemas"]["OffboardReport"];

/** An answer other than 2xx, with the problem+json `detail` the API gave. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string | null;
  /** Messages by the name of the body field they are about (a 422's last `loc` part, or the
   * problem's `field`). */
  readonly fields: Record<string, string>;
  /** A 422's errors as the API gave them. */
  readonly errors: { loc: unknown[]; msg: string }[];

  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.detail = problem?.detail ?? problem?.title ?? null;
    this.errors = validationErrors(problem);
    this.fields = {};
    for (const error of this.errors) {
      const field = error.loc.at(-1);
      if (typeof field === "string") this.fields[field] ??= error.msg;
    }
    // A refusal of our services about one field (e.g. a taken slug) names it in `field`.
    const field = (problem as { field?: unknown } | undefined)?.field;
    if (typeof field === "string" && this.detail) this.fields[field] ??= this.detail;
  }
}

function validationErrors(problem: Partial<Problem> | undefined) {
  const errors = (problem as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return (errors as { loc?: unknown; msg?: unknown }[]).flatMap((e) =>
    Array.isArray(e.loc) && typeof e.msg === "string"
      ? [{ loc: e.loc as unknown[], msg: e.msg }]
      : [],
  );
}

// Same origin, the HttpOnly `dashboard_session` cookie goes along by itself: no token here.
// `fetch` is looked up per call so tests can stand in for the network.
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: "same-origin",
  headers: { Accept: "application/json" },
  fetch: (request: Request) => globalThis.fetch(request),
});

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a 2xx answer, or an ApiError carrying the problem's detail. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    throw new ApiError(response.status, isProblem(error) ? error : undefined);
  }
  return data as T;
}

function isProblem(value: unknown): value is Partial<Problem> {
  return typeof value === "object" && value !== null;
}

/** Where the browser goes to sign in: dashboard-api's login start, back to `returnTo` after. */
export function loginUrl(returnTo: string): string {
  return `/api/v1/auth/login?${new URLSearchParams({ return_to: returnTo }).toString()}`;
}

export const LOGOUT_URL = "/api/v1/auth/logout";
export const ACCOUNT_SETTINGS_URL = "/auth/settings";
