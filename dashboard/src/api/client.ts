import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Me = components["schemas"]["Me"];
export type User = components["schemas"]["User"];
export type AppRole = components["schemas"]["AppRole"];
export type MyApp = components["schemas"]["MyApp"];
export type App = components["schemas"]["AppOut"];
export type RoleName = AppRole["role"];
export type Problem = components["schemas"]["Problem"];

/** An answer other than 2xx, with the problem+json `detail` the API gave. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string | null;

  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.detail = problem?.detail ?? problem?.title ?? null;
  }
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
