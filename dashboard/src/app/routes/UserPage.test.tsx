import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

function adminApi() {
  let current = structuredClone(PERSON);
  return fakeApi({
    "GET /api/v1/me": { status: 200, body: ADMIN },
    "GET /api/v1/apps": { status: 200, body: APPS },
    "GET /api/v1/users": { status: 200, body: { items: [], next_cursor: null } },
    "GET /api/v1/users/id-bob": () => ({ status: 200, body: current }),
    "PATCH /api/v1/users/id-bob": (call) => {
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
});
