import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { AppRole, RoleName, User, UserCreate } from "./client";

export const keys = {
  me: ["me"] as const,
  myApps: ["me", "apps"] as const,
  apps: ["apps"] as const,
  users: (filters: UserFilters, cursor: string | null) => ["users", filters, cursor] as const,
  user: (id: string) => ["user", id] as const,
  invitations: (id: string) => ["user", id, "invitations"] as const,
  sessions: (id: string) => ["user", id, "sessions"] as const,
};

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
