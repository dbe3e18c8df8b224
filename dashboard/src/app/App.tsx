import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { RouterProvider, createBrowserRouter, type RouteObject } from "react-router";
import { ApiError } from "../api/client";
import { Layout } from "../components/Layout";
import { RequireSession, goToLogin, isUnauthenticated } from "../features/session/RequireSession";
import { AppPage } from "./routes/AppPage";
import { AppsPage } from "./routes/AppsPage";
import { AuditPage } from "./routes/AuditPage";
import { GroupPage } from "./routes/GroupPage";
import { GroupsPage } from "./routes/GroupsPage";
import { ImportPage } from "./routes/ImportPage";
import { InvitationsPage } from "./routes/InvitationsPage";
import { MyAppsPage } from "./routes/MyAppsPage";
import { NewAppPage } from "./routes/NewAppPage";
import { NewUserPage } from "./routes/NewUserPage";
import { NotFoundPage } from "./routes/NotFoundPage";
import { UserPage } from "./routes/UserPage";
import { UsersPage } from "./routes/UsersPage";

export const routes: RouteObject[] = [
  {
    path: "/",
    element: (
      <RequireSession>
        <Layout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <MyAppsPage /> },
      // Admin pages (the API decides who may see them). Not under /admin: like nginx, the
      // router keeps every /admin path closed (the Ory admin APIs).
      { path: "users", element: <UsersPage /> },
      { path: "users/new", element: <NewUserPage /> },
      { path: "users/import", element: <ImportPage /> },
      { path: "users/:userId", element: <UserPage /> },
      { path: "apps", element: <AppsPage /> },
      { path: "apps/new", element: <NewAppPage /> },
      { path: "apps/:slug", element: <AppPage /> },
      { path: "groups", element: <GroupsPage /> },
      { path: "groups/:groupId", element: <GroupPage /> },
      { path: "invitations", element: <InvitationsPage /> },
      { path: "audit", element: <AuditPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      // A session that ended while the page was open: sign in again, then come back here.
      onError: (error) => {
        if (isUnauthenticated(error)) goToLogin();
      },
    }),
    defaultOptions: {
      queries: {
        // The API's 4xx answers are decisions, not hiccups.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: true,
        staleTime: 10_000,
      },
    },
  });
}

export function App() {
  const [client] = useState(makeQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
