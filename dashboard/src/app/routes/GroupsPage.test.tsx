import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const BOB = { id: PERSON.id, name: PERSON.name, email: PERSON.email, username: PERSON.username };

function group(overrides: Record<string, unknown> = {}) {
  return {
    id: 7,
    name: "crew",
    description: "The crew",
    members: [],
    grants: [],
    people: [],
    ...overrides,
  };
}

describe("Admin: groups", () => {
  it("lists groups and creates one, then opens it", async () => {
    const api = fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "GET /api/v1/groups": { status: 200, body: [group({ members: [PERSON.id], people: [BOB] })] },
      "POST /api/v1/groups": (call) => ({
        status: 201,
        body: group({ id: 8, ...(call.body as object) }),
      }),
      "GET /api/v1/groups/8": { status: 200, body: group({ id: 8, name: "ops", description: "" }) },
    });
    const user = userEvent.setup();
    const { router } = renderAt("/groups");
    expect(await screen.findByRole("link", { name: "crew" })).toHaveAttribute("href", "/groups/7");

    await user.type(screen.getByLabelText("Name"), "ops");
    await user.click(screen.getByRole("button", { name: "Create a group" }));
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "ops",
      description: "",
    });
    expect(await screen.findByRole("heading", { level: 1, name: "ops" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/groups/8");
    expect(screen.getByText("Group ops was created.")).toBeInTheDocument();
  });

  it("shows a name the API refuses beside the field", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/groups": { status: 200, body: [] },
      "POST /api/v1/groups": {
        status: 422,
        body: {
          title: "Unprocessable",
          status: 422,
          detail: "The request is not valid.",
          errors: [{ loc: ["body", "name"], msg: "String should match pattern" }],
        },
      },
    });
    const user = userEvent.setup();
    renderAt("/groups");
    await user.type(await screen.findByLabelText("Name"), "has space");
    await user.click(screen.getByRole("button", { name: "Create a group" }));
    expect(await screen.findByText("String should match pattern")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
  });

  it("adds a member found by search, gives a role, removes both, deletes after naming it", async () => {
    let current = group();
    const api = fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "GET /api/v1/groups": { status: 200, body: [] },
      "GET /api/v1/groups/7": () => ({ status: 200, body: current }),
      "GET /api/v1/users": { status: 200, body: { items: [PERSON], next_cursor: null } },
      "POST /api/v1/groups/7/members": () => {
        current = group({ members: [PERSON.id], people: [BOB] });
        return { status: 200, body: current };
      },
      [`DELETE /api/v1/groups/7/members/${PERSON.id}`]: () => {
        current = group();
        return { status: 200, body: current };
      },
      "PUT /api/v1/groups/7/grants/demo": () => {
        current = group({ grants: [{ app: "demo", role: "admin" }] });
        return { status: 200, body: current };
      },
      "DELETE /api/v1/groups/7/grants/demo": () => {
        current = group();
        return { status: 200, body: current };
      },
      "DELETE /api/v1/groups/7": { status: 204 },
    });
    const user = userEvent.setup();
    const { router } = renderAt("/groups/7");
    expect(await screen.findByText("No members yet.")).toBeInTheDocument();

    await user.type(screen.getByLabelText("Add a person (email, name or username)"), "bob");
    await user.click(screen.getByRole("button", { name: "Find" }));
    await user.click(await screen.findByRole("button", { name: "Add Bob Builder" }));
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({ subject: PERSON.id });
    expect(await screen.findByRole("link", { name: "Bob Builder" })).toHaveAttribute(
      "href",
      `/users/${PERSON.id}`,
    );
    await user.click(screen.getByRole("button", { name: "Remove Bob Builder" }));
    expect(await screen.findByText("No members yet.")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("App"), "demo");
    await user.selectOptions(screen.getByLabelText("Role"), "admin");
    await user.click(screen.getByRole("button", { name: "Give the role" }));
    expect(api.calls.find((c) => c.method === "PUT")?.body).toEqual({ role: "admin" });
    await user.click(await screen.findByRole("button", { name: "Remove the role on Demo app" }));
    expect(await screen.findByText("This group gives no roles yet.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Delete group" }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete the group crew?" });
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Delete crew" }));
    expect(await screen.findByText("Group crew was deleted.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/groups");
  });
});
