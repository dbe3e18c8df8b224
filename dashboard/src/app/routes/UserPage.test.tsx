import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const INVITATION = {
  id: 7,
  user_id: "id-bob",
  email: "bob@example.org",
  invited_by: "id-admin",
  roles: [],
  state: "expired",
  created_at: "2026-11-01T10:00:00Z",
  expires_at: "2026-11-08T10:00:00Z",
};

const SESSION = {
  id: "s1",
  active: true,
  authenticated_at: "2026-12-01T09:00:00Z",
  expires_at: "2026-12-02T09:00:00Z",
  aal: "aal1",
  methods: ["password"],
};

function adminApi() {
  let current = structuredClone(PERSON);
  let sessions = [SESSION, { ...SESSION, id: "s2", methods: ["password", "totp"], aal: "aal2" }];
  let invitations = [INVITATION];
  return fakeApi({
    "GET /api/v1/users/id-bob/invitations": () => ({
      status: 200,
      body: { items: invitations, next_cursor: null },
    }),
    "POST /api/v1/users/id-bob/invitation": () => {
      invitations = [
        { ...INVITATION, id: 8, state: "pending", expires_at: "2030-01-01T00:00:00Z" },
      ];
      return { status: 204 };
    },
    "POST /api/v1/users/id-bob/recovery-code": {
      status: 200,
      body: {
        recovery_link: "http://localhost/kratos/self-service/recovery?flow=f1",
        recovery_code: "123456",
        expires_at: "2030-01-01T00:00:00Z",
      },
    },
    "POST /api/v1/users/id-bob/reset-second-factor": { status: 204 },
    "GET /api/v1/users/id-bob/sessions": () => ({ status: 200, body: sessions }),
    "DELETE /api/v1/users/id-bob/sessions/s1": () => {
      sessions = sessions.map((s) => (s.id === "s1" ? { ...s, active: false } : s));
      return { status: 204 };
    },
    "DELETE /api/v1/users/id-bob/sessions": () => {
      sessions = [];
      return { status: 204 };
    },
    "POST /api/v1/users/id-bob/offboard": {
      status: 200,
      body: {
        user_id: "id-bob",
        state: "inactive",
        apps: [{ app: "demo", role: "user", role_kept: true, consents_revoked: ["demo"] }],
        kratos_sessions_ended: 1,
        hydra_login_sessions_ended: 2,
      },
    },
    "GET /api/v1/me": { status: 200, body: ADMIN },
    "GET /api/v1/apps": { status: 200, body: APPS },
    "GET /api/v1/users": { status: 200, body: { items: [], next_cursor: null } },
    "GET /api/v1/users/id-bob": () => ({ status: 200, body: current }),
    "PATCH /api/v1/users/id-bob": (call) => {
      if ((call.body as { username?: string }).username === "taken")
        return { status: 409, body: { title: "Conflict", status: 409, detail: "Username taken." } };
      current = { ...current, ...(call.body as Partial<typeof PERSON>) };
      return { status: 200, body: current };
    },
    "DELETE /api/v1/users/id-bob": { status: 204 },
  });
}

describe("Admin: one user", () => {
  it("shows name, email and username and a role per app", async () => {
    adminApi();
    renderAt("/users/id-bob");
    expect(
      await screen.findByRole("heading", { level: 1, name: "Bob Builder" }),
    ).toBeInTheDocument();
    expect(screen.getByText("bob@example.org")).toBeInTheDocument();
    expect(screen.getByText("bob")).toBeInTheDocument();
    expect(await screen.findByLabelText("Role on Demo app")).toHaveValue("user");
    expect(screen.getByLabelText("Role on Dashboard")).toHaveValue("user");
  });

  it("sends the whole new set of roles when one changes", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    await user.selectOptions(await screen.findByLabelText("Role on Demo app"), "");
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    const patch = api.calls.find((c) => c.method === "PATCH");
    expect(patch?.body).toEqual({ roles: [{ app: "dashboard", role: "user" }] });
    expect(screen.getByLabelText("Role on Demo app")).toHaveValue("");
  });

  it("deactivates", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    await user.click(await screen.findByRole("button", { name: "Deactivate" }));
    expect(await screen.findByRole("button", { name: "Activate" })).toBeInTheDocument();
    expect(api.calls.find((c) => c.method === "PATCH")?.body).toEqual({ state: "inactive" });
  });

  it("deletes only after a confirmation that names the person", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    await user.click(await screen.findByRole("button", { name: "Delete user" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete Bob Builder?" });
    expect(dialog).toHaveTextContent("Bob Builder loses every role");
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
    expect(api.calls.some((c) => c.method === "DELETE")).toBe(false);

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Delete user" }));
    await user.click(screen.getByRole("button", { name: "Delete Bob Builder" }));
    expect(await screen.findByText("Bob Builder was deleted.")).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      "/api/v1/users/id-bob",
    ]);
  });

  it("edits name, email and username, sending only what changed", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    await user.click(await screen.findByRole("button", { name: "Edit details" }));
    const username = screen.getByLabelText("Username");
    await user.clear(username);
    await user.type(username, "taken");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Username taken.");
    await user.clear(username);
    await user.type(username, "bobby");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("bobby")).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === "PATCH").at(-1)?.body).toEqual({
      username: "bobby",
    });
  });

  it("shows the invitation's state and sends a new one", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    expect(await screen.findByText(/Invitation of .* expired on/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Send a new invitation" }));
    expect(await screen.findByText("Invitation mailed.")).toBeInTheDocument();
    expect(await screen.findByText(/waiting; valid until/)).toBeInTheDocument();
    expect(api.calls.some((c) => c.path === "/api/v1/users/id-bob/invitation")).toBe(true);
  });

  it("makes a recovery link and copies it", async () => {
    const user = userEvent.setup();
    adminApi();
    renderAt("/users/id-bob");
    await user.click(await screen.findByRole("button", { name: "Make a recovery link" }));
    expect(
      await screen.findByText("http://localhost/kratos/self-service/recovery?flow=f1"),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy link" }));
    expect(await screen.findByText("Link copied.")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(
      "http://localhost/kratos/self-service/recovery?flow=f1",
    );
  });

  it("resets the second factor and ends every session", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    await user.click(await screen.findByRole("button", { name: "Reset second factor" }));
    expect(await screen.findByText(/Second factor reset/)).toBeInTheDocument();
    expect(await screen.findByText("password (aal1)")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "End all sessions" }));
    expect(await screen.findByText("No sessions.")).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      "/api/v1/users/id-bob/sessions",
    ]);
  });

  it("ends one session and leaves the other", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    const first = (await screen.findByText("password (aal1)")).closest("tr");
    const second = screen.getByText("password, totp (aal2)").closest("tr");
    if (!first || !second) throw new Error("no session rows");
    await user.click(within(first).getByRole("button", { name: "End this session" }));
    expect(await screen.findByText(/Session ended/)).toBeInTheDocument();
    expect(await within(first).findByText("ended")).toBeInTheDocument();
    expect(within(first).queryByRole("button")).not.toBeInTheDocument();
    expect(within(second).getByRole("button", { name: "End this session" })).toBeEnabled();
    expect(api.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      "/api/v1/users/id-bob/sessions/s1",
    ]);
  });

  it("offboards after a confirmation, keeping roles when asked, and shows the report", async () => {
    const api = adminApi();
    const user = userEvent.setup();
    renderAt("/users/id-bob");
    await user.click(await screen.findByLabelText("Keep the roles for a later reactivation"));
    await user.click(screen.getByRole("button", { name: "Offboard" }));
    expect(screen.getByRole("alertdialog", { name: "Offboard Bob Builder?" })).toBeInTheDocument();
    expect(api.calls.some((c) => c.path.endsWith("/offboard"))).toBe(false);
    await user.click(screen.getByRole("button", { name: "Offboard Bob Builder" }));
    expect(await screen.findByText(/Bob Builder was offboarded: 1 account/)).toBeInTheDocument();
    expect(
      screen.getByText("demo: role user kept, consent revoked for 1 client(s)."),
    ).toBeInTheDocument();
    expect(api.calls.find((c) => c.path.endsWith("/offboard"))?.body).toEqual({
      keep_roles: true,
    });
  });
});
