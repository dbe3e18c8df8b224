import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type {
  App,
  AppCreate,
  AppFromPreset,
  AppRole,
  AppUpdate,
  ClientCreate,
  ClientUpdate,
  GroupsClaim,
  RoleName,
  User,
  UserCreate,
} from "./client";
import type { components } from "./schema";

export const keys = {
  branding: ["branding"] as const,
  me: ["me"] as const,
  myApps: ["me", "apps"] as const,
  apps: ["apps"] as const,
  app: (slug: string) => ["app", slug] as const,
  appSignIn: (slug: string) => ["app", slug, "sign-in"] as const,
  appClients: (slug: string) => ["app", slug, "clients"] as const,
  groupsClaim: (slug: string) => ["app", slug, "groups-claim"] as const,
  groups: ["groups"] as const,
  presets: ["presets"] as const,
  preset: (id: string) => ["presets", id] as const,
  users: (filters: UserFilters, cursor: string | null) => ["users", filters, cursor] as const,
  user: (id: string) => ["user", id] as const,
  invitations: (id: string) => ["user", id, "invitations"] as const,
  sessions: (id: string) => ["user", id, "sessions"] as const,
};

/** The organisation's name, logo and accent colour: public, the login pages' own. */
export function useBranding() {
  return useQuery({
    queryKey: keys.branding,
    queryFn: () => unwrap(api.GET("/api/v1/branding")),
    staleTime: 5 * 60_000,
  });
}

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => unwrap(api.GET("/api/v1/me")) });
}

export function useMyApps() {
  return useQuery({
    queryKey: keys.myApps,
    queryFn: () => unwrap(api.GET("/api/v1/me/apps")),
  });
}

export function useApps() {
  return useQuery({ queryKey: keys.apps, queryFn: () => unwrap(api.GET("/api/v1/apps")) });
}

export function usePresets() {
  return useQuery({
    queryKey: keys.presets,
    queryFn: () => unwrap(api.GET("/api/v1/apps/presets")),
  });
}

/** One preset of the catalogue; nothing is fetched until one is chosen (`id` empty). */
export function usePreset(id: string) {
  return useQuery({
    queryKey: keys.preset(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/apps/presets/{preset_id}", { params: { path: { preset_id: id } } })),
    enabled: id !== "",
  });
}

/** A new app: from a preset (with its client, claims and settings) or from plain fields. */
export function useCreateApp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AppFromPreset | AppCreate) => unwrap(api.POST("/api/v1/apps", { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.apps }),
  });
}

const appPath = (slug: string) => ({ params: { path: { slug } } });

export function useApp(slug: string) {
  return useQuery({
    queryKey: keys.app(slug),
    queryFn: () => unwrap(api.GET("/api/v1/apps/{slug}", appPath(slug))),
  });
}

export function useUpdateApp(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AppUpdate) =>
      unwrap(api.PATCH("/api/v1/apps/{slug}", { ...appPath(slug), body })),
    onSuccess: (app: App) => {
      client.setQueryData(keys.app(slug), app);
      void client.invalidateQueries({ queryKey: keys.apps });
      void client.invalidateQueries({ queryKey: keys.appSignIn(slug) });
    },
  });
}

export function useDeleteApp(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/apps/{slug}", appPath(slug))),
    // Not removed from the cache: the open page would fetch the deleted app again (a 404).
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.apps }),
  });
}

export function useAppSignIn(slug: string) {
  return useQuery({
    queryKey: keys.appSignIn(slug),
    queryFn: () => unwrap(api.GET("/api/v1/apps/{slug}/sign-in", appPath(slug))),
  });
}

export function useGroupsClaim(slug: string) {
  return useQuery({
    queryKey: keys.groupsClaim(slug),
    queryFn: () =>
      unwrap(api.GET("/api/v1/groups/claims/{app}", { params: { path: { app: slug } } })),
  });
}

export function useGroups() {
  return useQuery({ queryKey: keys.groups, queryFn: () => unwrap(api.GET("/api/v1/groups")) });
}

export function useSetGroupsClaim(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: GroupsClaim) =>
      unwrap(api.PUT("/api/v1/groups/claims/{app}", { params: { path: { app: slug } }, body })),
    onSuccess: (claim: GroupsClaim) => {
      client.setQueryData(keys.groupsClaim(slug), claim);
      void client.invalidateQueries({ queryKey: keys.appSignIn(slug) });
    },
  });
}

export function useClients(slug: string) {
  return useQuery({
    queryKey: keys.appClients(slug),
    queryFn: () => unwrap(api.GET("/api/v1/apps/{slug}/clients", appPath(slug))),
  });
}

/** After a change to the app's clients: the list, and the app (its client ids). */
function clientsChanged(client: ReturnType<typeof useQueryClient>, slug: string) {
  void client.invalidateQueries({ queryKey: keys.appClients(slug) });
  void client.invalidateQueries({ queryKey: keys.app(slug), exact: true });
  void client.invalidateQueries({ queryKey: keys.apps });
}

export function useCreateClient(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ClientCreate) =>
      unwrap(api.POST("/api/v1/apps/{slug}/clients", { ...appPath(slug), body })),
    onSuccess: () => clientsChanged(client, slug),
  });
}

const clientPath = (slug: string, clientId: string) => ({
  params: { path: { slug, client_id: clientId } },
});

export function useUpdateClient(slug: string, clientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ClientUpdate) =>
      unwrap(
        api.PATCH("/api/v1/apps/{slug}/clients/{client_id}", {
          ...clientPath(slug, clientId),
          body,
        }),
      ),
    onSuccess: () => clientsChanged(client, slug),
  });
}

/** A new secret (in the answer only); the old one stops working. */
export function useRotateSecret(slug: string, clientId: string) {
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST(
          "/api/v1/apps/{slug}/clients/{client_id}/rotate-secret",
          clientPath(slug, clientId),
        ),
      ),
  });
}

export function useDeleteClient(slug: string, clientId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/apps/{slug}/clients/{client_id}", clientPath(slug, clientId))),
    onSuccess: () => clientsChanged(client, slug),
  });
}

export interface UserFilters {
  q: string;
  app: string;
  role: RoleName | "";
}

export const PAGE_SIZE = 25;

export function useUsers(filters: UserFilters, cursor: string | null) {
  return useQuery({
    queryKey: keys.users(filters, cursor),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/users", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.app ? { app: filters.app } : {}),
              ...(filters.role ? { role: filters.role } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: string) {
  return useQuery({
    queryKey: keys.user(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/users/{user_id}", { params: { path: { user_id: id } } })),
  });
}

export interface UserChange {
  roles?: AppRole[];
  state?: "active" | "inactive";
  name?: string;
  email?: string;
  username?: string;
}

export function useUpdateUser(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: UserChange) =>
      unwrap(
        api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body: change }),
      ),
    onSuccess: (user: User) => {
      client.setQueryData(keys.user(id), user);
      void client.invalidateQueries({ queryKey: ["users"] });
      void client.invalidateQueries({ queryKey: keys.me });
    },
  });
}

export function useDeleteUser(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/users/{user_id}", { params: { path: { user_id: id } } })),
    onSuccess: () => {
      // Not removed from the cache here: the open page would fetch the deleted user again
      // (a 404) before it navigates away; unused, the entry is dropped after gcTime.
      void client.invalidateQueries({ queryKey: ["users"] });
    },
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST("/api/v1/users", { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["users"] }),
  });
}

const userPath = (id: string) => ({ params: { path: { user_id: id } } });

export function useInvitations(id: string) {
  return useQuery({
    queryKey: keys.invitations(id),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/users/{user_id}/invitations", {
          params: { path: { user_id: id }, query: { limit: 1 } },
        }),
      ),
  });
}

/** A new invitation mail (a new code; an earlier one stops working). */
export function useSendInvitation(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/users/{user_id}/invitation", userPath(id))),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.invitations(id) }),
  });
}

export function useRecoveryCode(id: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/users/{user_id}/recovery-code", userPath(id))),
  });
}

export function useResetSecondFactor(id: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/users/{user_id}/reset-second-factor", userPath(id))),
  });
}

export function useSessions(id: string) {
  return useQuery({
    queryKey: keys.sessions(id),
    queryFn: () => unwrap(api.GET("/api/v1/users/{user_id}/sessions", userPath(id))),
  });
}

export function useRevokeSessions(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/users/{user_id}/sessions", userPath(id))),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.sessions(id) }),
  });
}

export function useEndSession(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      unwrap(
        api.DELETE("/api/v1/users/{user_id}/sessions/{session_id}", {
          params: { path: { user_id: id, session_id: sessionId } },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.sessions(id) }),
  });
}

export function useOffboard(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (keepRoles: boolean) =>
      unwrap(
        api.POST("/api/v1/users/{user_id}/offboard", {
          ...userPath(id),
          body: { keep_roles: keepRoles },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.user(id) });
      void client.invalidateQueries({ queryKey: ["users"] });
    },
  });
}

/** One call to the batch endpoint (at most 1000 users); with `dryRun` nothing is written. */
export function postBatch(users: UserCreate[], dryRun: boolean) {
  return unwrap(
    api.POST("/api/v1/users/batch", {
      params: { query: { dry_run: dryRun } },
      body: { users },
    }),
  );
}

// --- audit log, groups, invitations (admins) ---------------------------------------------

export type AuditEntry = components["schemas"]["AuditEntryOut"];
export type AuditAction = AuditEntry["action"];
export type Group = components["schemas"]["GroupOut"];
export type InvitationState = components["schemas"]["InvitationOut"]["state"];

export interface AuditFilters {
  actor: string;
  action: AuditAction | "";
  targetType: string;
  targetId: string;
  /** yyyy-mm-dd, the reader's day; empty: no bound. */
  since: string;
  until: string;
}

/** The start of a yyyy-mm-dd day in the reader's zone, as the API's ISO time. */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

export function useAudit(filters: AuditFilters, cursor: string | null) {
  return useQuery({
    queryKey: ["audit", filters, cursor] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/audit", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(filters.actor ? { actor: filters.actor } : {}),
              ...(filters.action ? { action: filters.action } : {}),
              ...(filters.targetType ? { target_type: filters.targetType } : {}),
              ...(filters.targetId ? { target_id: filters.targetId } : {}),
              ...(filters.since ? { since: dayStart(filters.since) } : {}),
              // The whole "until" day counts: the bound is the next day's start.
              ...(filters.until ? { until: dayStart(filters.until, 1) } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

const groupPath = (id: number) => ({ params: { path: { group_id: id } } });

export function useGroup(id: number) {
  return useQuery({
    queryKey: ["groups", id],
    queryFn: () => unwrap(api.GET("/api/v1/groups/{group_id}", groupPath(id))),
  });
}

/** After a change to one group: its page shows the answer, the list fetches again. */
function useGroupChange<A>(id: number, call: (arg: A) => Promise<Group>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (group: Group) => {
      client.setQueryData(["groups", id], group);
      void client.invalidateQueries({ queryKey: ["groups"], exact: true });
    },
  });
}

export function useCreateGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string }) =>
      unwrap(api.POST("/api/v1/groups", { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["groups"], exact: true }),
  });
}

export function useUpdateGroup(id: number) {
  return useGroupChange(id, (body: { name?: string; description?: string }) =>
    unwrap(api.PATCH("/api/v1/groups/{group_id}", { ...groupPath(id), body })),
  );
}

export function useDeleteGroup(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/groups/{group_id}", groupPath(id))),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["groups"], exact: true }),
  });
}

export function useAddMember(id: number) {
  return useGroupChange(id, (subject: string) =>
    unwrap(api.POST("/api/v1/groups/{group_id}/members", { ...groupPath(id), body: { subject } })),
  );
}

export function useRemoveMember(id: number) {
  return useGroupChange(id, (subject: string) =>
    unwrap(
      api.DELETE("/api/v1/groups/{group_id}/members/{subject}", {
        params: { path: { group_id: id, subject } },
      }),
    ),
  );
}

export function useSetGrant(id: number) {
  return useGroupChange(id, ({ app, role }: { app: string; role: RoleName | null }) =>
    role === null
      ? unwrap(
          api.DELETE("/api/v1/groups/{group_id}/grants/{app}", {
            params: { path: { group_id: id, app } },
          }),
        )
      : unwrap(
          api.PUT("/api/v1/groups/{group_id}/grants/{app}", {
            params: { path: { group_id: id, app } },
            body: { role },
          }),
        ),
  );
}

export function useAllInvitations(state: InvitationState | "", cursor: string | null) {
  return useQuery({
    queryKey: ["invitations", state, cursor] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/invitations", {
          params: {
            query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(state ? { state } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Resend (a new code) or withdraw one invitation; every invitation list fetches again. */
export function useInvitationAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "resend" | "withdraw" }) =>
      action === "resend"
        ? unwrap(
            api.POST("/api/v1/invitations/{invitation_id}/resend", {
              params: { path: { invitation_id: id } },
            }),
          )
        : unwrap(
            api.POST("/api/v1/invitations/{invitation_id}/withdraw", {
              params: { path: { invitation_id: id } },
            }),
          ),
    onSuccess: (invitation) => {
      void client.invalidateQueries({ queryKey: ["invitations"] });
      void client.invalidateQueries({ queryKey: keys.invitations(invitation.user_id) });
    },
  });
}
