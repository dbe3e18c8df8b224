import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "./client";
import type { AppRole, RoleName, User } from "./client";

export const keys = {
  me: ["me"] as const,
  myApps: ["me", "apps"] as const,
  apps: ["apps"] as const,
  users: (filters: UserFilters, cursor: string | null) => ["users", filters, cursor] as const,
  user: (id: string) => ["user", id] as const,
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
