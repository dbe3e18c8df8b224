import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ADMIN, APPS, CLIENT, CLOUD, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const SIGN_IN = {
  issuer: "http://localhost/",
  discovery_url: "http://localhost/.well-known/openid-configuration",
  role_claim: "role",
  groups_claim: "groups",
  extra_claims: [],
};

function adminApi() {
  let app = structuredClone(CLOUD);
  let clients = [structuredClone(CLIENT)];
  let groupsClaim = { claim: "groups" as string | null, groups: ["staff"] };
  return fakeApi({
    "GET /api/v1/groups": {
      status: 200,
      body: ["staff", "cloud-admins"].map((name, id) => ({
        id: id + 1,
        name,
        description: "",
        members: [],
        grants: [],
      })),
    },
    "GET /api/v1/groups/claims/nextcloud": () => ({ status: 200, body: groupsClaim }),
    "PUT /api/v1/groups/claims/nextcloud": (call) => {
      const asked = call.body as typeof groupsClaim;
      if (asked.claim === "role")
        return {
          status: 422,
          body: {
            title: "Unprocessable Entity",
            status: 422,
            detail: "The app already has a claim named 'role'.",
            field: "claim",
          },
        };
      groupsClaim = { claim: asked.claim, groups: [...asked.groups].sort() };
      return { status: 200, body: groupsClaim };
    },
    "GET /api/v1/me": { status: 200, body: ADMIN },
    "GET /api/v1/apps": () => ({ status: 200, body: [...APPS, app] }),
    "GET /api/v1/apps/nextcloud": () => ({ status: 200, body: app }),
    "PATCH /api/v1/apps/nextcloud": (call) => {
      const change = call.body as Partial<typeof CLOUD>;
      if (change.role_claim === "email")
        return {
          status: 422,
          body: {
            title: "Unprocessable Entity",
            status: 422,
            detail: "reserved claim names: email",
            errors: [{ loc: ["body", "role_claim"], msg: "reserved claim names: email" }],
          },
        };
      app = { ...app, ...change };
      return { status: 200, body: app };
    },
    "DELETE /api/v1/apps/nextcloud": { status: 204 },
    "GET /api/v1/apps/nextcloud/sign-in": () => ({
      status: 200,
      body: {
        ...SIGN_IN,
        role_claim: app.role_claim,
        groups_claim: groupsClaim.claim,
        extra_claims: Object.keys(app.extra_claims),
      },
    }),
    "GET /api/v1/apps/nextcloud/clients": () => ({ status: 200, body: clients }),
    "POST /api/v1/apps/nextcloud/clients": (call) => {
      const made = { ...CLIENT, ...(call.body as object), client_id: "client-2" };
      clients = [...clients, made];
      return { status: 201, body: { ...made, client_secret: "second-secret" } };
    },
    "PATCH /api/v1/apps/nextcloud/clients/client-1": (call) => {
      clients = clients.map((c) =>
        c.client_id === "client-1" ? { ...c, ...(call.body as object) } : c,
      );
      return { status: 200, body: clients.find((c) => c.client_id === "client-1") };
    },
    "POST /api/v1/apps/nextcloud/clients/client-1/rotate-secret": {
      status: 200,
      body: { ...CLIENT, client_secret: "rotated-secret" },
    },
    "DELETE /api/v1/apps/nextcloud/clients/client-1": () => {
      clients = clients.filter((c) => c.client_id !== "client-1");
      return { status: 204 };
    },
  });
}

describe("Admin: one app", () => {
  it("shows the settings to type into the app, each with a copy button", async () => {
    adminApi();
    const user = userEvent.setup();
    renderAt("/apps/nextcloud");
    expect(await screen.findByRole("heading", { level: 1, name: "Nextcloud" })).toBeInTheDocument();
    await screen.findByRole("heading", { name: "Client client-1" });
    await user.click(screen.getByRole("button", { name: "Copy Discovery URL" }));
    expect(await navigator.clipboard.readText()).toBe(
      "http://localhost/.well-known/openid-configuration",
    );
    await user.click(screen.getByRole("button", { name: "Copy Groups claim" }));
    expect(await navigator.clipboard.readText()).toBe("groups");
    const [copyId] = screen.getAllByRole("button", { name: "Copy Client ID" });
    if (!copyId) throw new Error("no copy button for the client id");
    await user.click(copyId);
    expect(await navigator.clipboard.readText()).toBe("client-1");
  });

  it("edits the app, sending only what changed, with the API's 422 beside the field", async () => {
    const { calls } = adminApi();
    const user = userEvent.setup();
    renderAt("/apps/nextcloud");
    await user.click(await screen.findByRole("button", { name: "Edit app" }));
    const role = screen.getByLabelText("Role claim");
    await user.clear(role);
    await user.type(role, "email");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("reserved claim names: email");
    expect(role).toHaveAccessibleDescription("reserved claim names: email");

    await user.clear(role);
    await user.type(role, "cloud_role");
    await user.click(screen.getByLabelText(/Trusted/));
    const claims = screen.getByLabelText("Extra claims");
    await user.type(claims, "not json");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(claims).toHaveAccessibleDescription(/This is not a JSON object\.$/);
    expect(claims).toHaveFocus();
    await user.clear(claims);
    await user.type(claims, '{{"tier": "gold"}');
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PATCH").at(-1)?.body).toEqual({
      role_claim: "cloud_role",
      trusted: true,
      extra_claims: { tier: "gold" },
    });
    // The details and the settings panel both show the new claim names.
    expect(await screen.findAllByText("cloud_role")).toHaveLength(2);
    await user.click(await screen.findByRole("button", { name: "Copy Extra claim" }));
    expect(await navigator.clipboard.readText()).toBe("tier");
  });

  it("clears the app's address and icon when they are emptied", async () => {
    const { calls } = adminApi();
    const user = userEvent.setup();
    renderAt("/apps/nextcloud");
    await user.click(await screen.findByRole("button", { name: "Edit app" }));
    await user.type(screen.getByLabelText("Icon URL"), "https://cloud.example.org/icon.png");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PATCH").at(-1)?.body).toEqual({
      icon_url: "https://cloud.example.org/icon.png",
    });

    await user.click(await screen.findByRole("button", { name: "Edit app" }));
    await user.clear(screen.getByLabelText("Address"));
    await user.clear(screen.getByLabelText("Icon URL"));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PATCH").at(-1)?.body).toEqual({
      url: null,
      icon_url: null,
    });
  });

  it("names the groups claim and the groups the app may see", async () => {
    const { calls } = adminApi();
    const user = userEvent.setup();
    renderAt("/apps/nextcloud");
    await user.click(await screen.findByRole("button", { name: "Change groups claim" }));
    const claim = screen.getByLabelText("Groups claim");
    await user.clear(claim);
    await user.type(claim, "role");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already has a claim named");
    expect(claim).toHaveAttribute("aria-invalid", "true");
    await user.clear(claim);
    await user.type(claim, "teams");
    await user.click(screen.getByLabelText("cloud-admins"));
    await user.click(screen.getByLabelText("staff"));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("cloud-admins")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PUT").at(-1)?.body).toEqual({
      claim: "teams",
      groups: ["cloud-admins"],
    });
    await user.click(await screen.findByRole("button", { name: "Copy Groups claim" }));
    await vi.waitFor(async () => expect(await navigator.clipboard.readText()).toBe("teams"));
  });

  it("creates a client and shows its secret once", async () => {
    const { calls } = adminApi();
    const user = userEvent.setup();
    renderAt("/apps/nextcloud");
    await user.click(await screen.findByRole("button", { name: "Add an OAuth2 client" }));
    expect(screen.getByLabelText("Name (optional)")).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Create client" }));
    expect(screen.getByLabelText("Redirect URIs, one a line")).toHaveAccessibleDescription(
      "Enter at least one redirect URI.",
    );
    await user.type(
      screen.getByLabelText("Redirect URIs, one a line"),
      "https://cloud.example.org/a{Enter}{Enter}https://cloud.example.org/b",
    );
    await user.click(screen.getByRole("button", { name: "Create client" }));
    expect(await screen.findByText("Client client-2 was created.")).toBeInTheDocument();
    expect(screen.getByText("second-secret")).toBeInTheDocument();
    expect(screen.getByText(/you will not see it again/)).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      redirect_uris: ["https://cloud.example.org/a", "https://cloud.example.org/b"],
      scope: "openid email profile offline_access",
      token_endpoint_auth_method: "client_secret_basic",
    });
    expect(await screen.findByRole("heading", { name: "Client client-2" })).toBeInTheDocument();
  });

  it("changes a client's redirect URIs, rotates its secret and deletes it after a confirmation", async () => {
    const { calls } = adminApi();
    const user = userEvent.setup();
    renderAt("/apps/nextcloud");
    const card = screen.getByRole("article", {
      name: (await screen.findByRole("heading", { name: "client-1" })).textContent,
    });
    await user.click(within(card).getByRole("button", { name: "Change redirect URIs" }));
    const uris = within(card).getByLabelText("Redirect URIs, one a line");
    await user.clear(uris);
    await user.type(uris, "https://cloud.example.org/index.php/apps/user_oidc/code");
    await user.click(within(card).getByRole("button", { name: "Save" }));
    expect(
      await within(card).findByText("https://cloud.example.org/index.php/apps/user_oidc/code"),
    ).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({
      redirect_uris: ["https://cloud.example.org/index.php/apps/user_oidc/code"],
    });

    await user.click(within(card).getByRole("button", { name: "New secret" }));
    expect(await within(card).findByText("rotated-secret")).toBeInTheDocument();
    expect(within(card).getByText(/the old one no longer works/)).toBeInTheDocument();

    await user.click(within(card).getByRole("button", { name: "Delete client" }));
    expect(
      screen.getByRole("alertdialog", { name: "Delete the client client-1?" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Delete client client-1" }));
    expect(await screen.findByText(/No OAuth2 clients yet/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      "/api/v1/apps/nextcloud/clients/client-1",
    ]);
  });

  it("deletes the app only after a confirmation that names it", async () => {
    const { calls } = adminApi();
    const user = userEvent.setup();
    const { router } = renderAt("/apps/nextcloud");
    await user.click(await screen.findByRole("button", { name: "Delete app" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete Nextcloud?" });
    expect(dialog).toHaveTextContent("everyone's roles on it");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(screen.getByRole("button", { name: "Delete app" }));
    await user.click(screen.getByRole("button", { name: "Delete Nextcloud" }));
    expect(await screen.findByText("Nextcloud was deleted.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/apps");
  });

  it("says so when there is no such app", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps/nope": {
        status: 404,
        body: { title: "Not Found", status: 404, detail: "There is no app 'nope'." },
      },
    });
    renderAt("/apps/nope");
    expect(await screen.findByRole("alert")).toHaveTextContent("There is no app 'nope'.");
  });
});
