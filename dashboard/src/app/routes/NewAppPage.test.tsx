import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import {
  ADMIN,
  APPS,
  CLOUD,
  NEXTCLOUD_SETTINGS,
  PRESETS,
  fakeApi,
  type Call,
} from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const SECRET = "s3cret-shown-once";

const CREATED = {
  ...CLOUD,
  preset: "nextcloud",
  groups_claim: "groups",
  groups: [],
  client: {
    client_id: "client-1",
    client_name: null,
    redirect_uris: ["https://cloud.example.org/apps/user_oidc/code"],
    post_logout_redirect_uris: [],
    grant_types: ["authorization_code", "refresh_token"],
    scope: "openid email profile",
    token_endpoint_auth_method: "client_secret_post",
    in_hydra: true,
    client_secret: SECRET,
  },
  settings: {
    ...NEXTCLOUD_SETTINGS,
    client_id: "client-1",
    client_secret: SECRET,
    redirect_uri: "https://cloud.example.org/apps/user_oidc/code",
    fields: [
      { label: "Client ID", value: "client-1" },
      { label: "Client secret", value: SECRET },
    ],
    snippets: [{ title: "Or with occ", language: "sh", text: `occ --clientsecret="${SECRET}"` }],
  },
};

function api(create: (call: Call) => { status: number; body?: unknown }) {
  return fakeApi({
    "GET /api/v1/me": { status: 200, body: ADMIN },
    "GET /api/v1/apps": { status: 200, body: APPS },
    "GET /api/v1/apps/presets": { status: 200, body: PRESETS },
    "GET /api/v1/apps/presets/nextcloud": { status: 200, body: PRESETS[0] },
    "GET /api/v1/apps/presets/generic": { status: 200, body: PRESETS[1] },
    "POST /api/v1/apps": create,
    "GET /api/v1/apps/tool": {
      status: 200,
      body: { ...APPS[1], slug: "tool", name: "Tool", client_ids: [] },
    },
    "GET /api/v1/apps/tool/clients": { status: 200, body: [] },
    "GET /api/v1/apps/tool/sign-in": {
      status: 200,
      body: {
        issuer: "http://localhost/",
        discovery_url: "http://localhost/.well-known/openid-configuration",
        role_claim: "role",
        groups_claim: null,
        extra_claims: [],
      },
    },
  });
}

describe("Admin: add an app", () => {
  it("shows what a preset sets up, creates from it and shows the secret and settings once", async () => {
    const { calls } = api(() => ({ status: 201, body: CREATED }));
    const user = userEvent.setup();
    renderAt("/apps/new");
    await user.click(await screen.findByRole("radio", { name: /Nextcloud/ }));
    const panel = await screen.findByRole("region", {
      name: "What the Nextcloud preset sets up",
    });
    expect(within(panel).getByRole("cell", { name: "groups" })).toBeInTheDocument();
    expect(within(panel).getByText("<app address>/apps/user_oidc/code")).toBeInTheDocument();
    expect(within(panel).getByText(/makes its members Nextcloud admins/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Create app" }));
    expect(screen.getByLabelText("Address")).toHaveAccessibleDescription(
      "Enter the app's address.",
    );
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    await user.type(screen.getByLabelText("Address"), "https://cloud.example.org");
    await user.click(screen.getByRole("button", { name: "Create app" }));
    expect(await screen.findByText(/you will not see it again/)).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      preset: "nextcloud",
      url: "https://cloud.example.org",
      trusted: false,
    });
    expect(screen.getByText("Nextcloud was created with its OAuth2 client.")).toBeInTheDocument();
    const secret = screen.getByRole("region", { name: "Client secret" });
    await user.click(within(secret).getByRole("button", { name: "Copy Client secret" }));
    expect(await within(secret).findByText("Copied.")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    expect(screen.getByRole("heading", { name: "Settings for the app" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy Redirect URI" }));
    expect(await navigator.clipboard.readText()).toBe(
      "https://cloud.example.org/apps/user_oidc/code",
    );
    await user.click(screen.getByRole("button", { name: "Copy Or with occ" }));
    expect(await navigator.clipboard.readText()).toBe(`occ --clientsecret="${SECRET}"`);
    expect(screen.getByRole("link", { name: "Go to Nextcloud" })).toHaveAttribute(
      "href",
      "/apps/nextcloud",
    );
  });

  it("asks for the redirect URI of a generic app and puts the API's 422 beside its field", async () => {
    const { calls } = api(() => ({
      status: 422,
      body: {
        title: "Unprocessable Entity",
        status: 422,
        detail: "The request body is not valid.",
        errors: [{ loc: ["body", "preset", "url"], msg: "Input should be a valid URL" }],
      },
    }));
    const user = userEvent.setup();
    renderAt("/apps/new");
    await user.click(await screen.findByRole("radio", { name: /Any OpenID Connect app/ }));
    expect(await screen.findByText("You give it below.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Address"), "https://tool.example.org");
    await user.click(screen.getByRole("button", { name: "Create app" }));
    expect(screen.getByLabelText("Redirect URI")).toHaveFocus();
    expect(screen.getByLabelText("Redirect URI")).toHaveAccessibleDescription(
      "Enter the app's redirect URI.",
    );
    await user.type(screen.getByLabelText("Redirect URI"), "https://tool.example.org/cb");
    await user.click(screen.getByRole("button", { name: "Create app" }));
    expect(await screen.findByText("Input should be a valid URL")).toBeInTheDocument();
    expect(screen.getByLabelText("Address")).toHaveAttribute("aria-invalid", "true");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      preset: "generic",
      url: "https://tool.example.org",
      redirect_uri: "https://tool.example.org/cb",
      trusted: false,
    });
  });

  it("puts a taken slug beside the slug field", async () => {
    api(() => ({
      status: 409,
      body: {
        title: "Conflict",
        status: 409,
        detail: "An app with the slug 'nextcloud' already exists.",
        field: "slug",
      },
    }));
    const user = userEvent.setup();
    renderAt("/apps/new");
    await user.click(await screen.findByRole("radio", { name: /Nextcloud/ }));
    await user.type(await screen.findByLabelText("Address"), "https://cloud.example.org");
    await user.click(screen.getByRole("button", { name: "Create app" }));
    const slug = screen.getByLabelText("Slug (optional)");
    await screen.findByRole("alert");
    expect(slug).toHaveAttribute("aria-invalid", "true");
    expect(slug).toHaveAccessibleDescription(
      "Lower-case letters, digits and dashes; empty: nextcloud. An app with the slug 'nextcloud' already exists.",
    );
  });

  it("creates an app without a preset from the plain fields and opens its page", async () => {
    const { calls } = api((call) => ({
      status: 201,
      body: { ...APPS[1], ...(call.body as object), client_ids: [] },
    }));
    const user = userEvent.setup();
    const { router } = renderAt("/apps/new");
    await user.click(await screen.findByRole("radio", { name: /Without a preset/ }));
    await user.type(screen.getByLabelText("Name"), "Tool");
    await user.type(screen.getByLabelText("Slug"), "Tool");
    await user.click(screen.getByRole("button", { name: "Create app" }));
    expect(screen.getByLabelText("Slug")).toHaveFocus();
    await user.clear(screen.getByLabelText("Slug"));
    await user.type(screen.getByLabelText("Slug"), "tool");
    await user.click(screen.getByLabelText(/External/));
    await user.click(screen.getByRole("button", { name: "Create app" }));
    expect(await screen.findByText("Tool was created.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/apps/tool");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      slug: "tool",
      name: "Tool",
      role_claim: "role",
      trusted: false,
      external: true,
    });
  });
});
