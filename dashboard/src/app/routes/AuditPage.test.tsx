import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const NAMES = { actor: "Ada Admin", target: "Bob Builder", app: null, member: null, apps: {} };

function entry(id: number, overrides: Record<string, unknown> = {}) {
  return {
    id,
    at: "2026-12-01T10:00:00Z",
    actor: `user:${ADMIN.id}`,
    action: "user.create",
    target_type: "user",
    target_id: PERSON.id,
    summary: {},
    request_id: null,
    names: NAMES,
    ...overrides,
  };
}

describe("Admin: audit log", () => {
  it("shows each entry in words with names, filters, and pages with the cursor", async () => {
    const api = fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "GET /api/v1/audit": (call) =>
        call.path.includes("cursor=c2")
          ? { status: 200, body: { items: [entry(1)], next_cursor: null } }
          : {
              status: 200,
              body: {
                items: [
                  entry(3, {
                    action: "user.update",
                    summary: { roles: { before: [["demo", "user"]], after: [] }, changed: [] },
                    names: { ...NAMES, apps: { demo: "Demo app" } },
                  }),
                  entry(2, {
                    action: "group.add_member",
                    target_type: "group",
                    target_id: "7",
                    summary: { name: "crew", subject: PERSON.id },
                    names: { ...NAMES, target: "crew", member: "Bob Builder" },
                  }),
                ],
                next_cursor: "c2",
              },
            },
    });
    const user = userEvent.setup();
    renderAt("/audit");
    const table = await screen.findByRole("table");
    expect(
      within(table).getByText("Ada Admin removed the role on Demo app of Bob Builder."),
    ).toBeInTheDocument();
    expect(
      within(table).getByText("Ada Admin added Bob Builder to the group crew."),
    ).toBeInTheDocument();

    // Each action is offered in words, as its sentences say it.
    expect(screen.getByRole("option", { name: "Added … to the group …" })).toHaveValue(
      "group.add_member",
    );
    expect(screen.getByRole("option", { name: "… accepted their invitation" })).toHaveValue(
      "invitation.accept",
    );
    await user.selectOptions(screen.getByLabelText("What"), "group.add_member");
    expect(api.calls.at(-1)?.path).toBe("/api/v1/audit?limit=25&action=group.add_member");
    await user.selectOptions(await screen.findByLabelText("About the app"), "demo");
    expect(api.calls.at(-1)?.path).toBe(
      "/api/v1/audit?limit=25&action=group.add_member&target_type=app&target_id=demo",
    );
    await user.click(screen.getByRole("link", { name: "Show all entries" }));

    // A name filters: only what that person did.
    const [byAda] = await screen.findAllByRole("button", { name: "Ada Admin" });
    if (byAda) await user.click(byAda);
    expect(api.calls.at(-1)?.path).toBe(`/api/v1/audit?limit=25&actor=user%3A${ADMIN.id}`);
    await user.click(screen.getByRole("link", { name: "Show all entries" }));

    await user.click(await screen.findByRole("button", { name: "Next page" }));
    expect(
      await screen.findByText("Ada Admin created the account of Bob Builder."),
    ).toBeInTheDocument();
    expect(api.calls.at(-1)?.path).toContain("cursor=c2");
    expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
  });

  it("shows the API's reason in words when it refuses", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/apps": { status: 200, body: [] },
      "GET /api/v1/audit": {
        status: 403,
        body: { title: "Forbidden", status: 403, detail: "Only dashboard admins may do this." },
      },
    });
    renderAt("/audit");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "You may not see this: Only dashboard admins may do this.",
    );
    expect(screen.queryByRole("search")).not.toBeInTheDocument();
  });
});
