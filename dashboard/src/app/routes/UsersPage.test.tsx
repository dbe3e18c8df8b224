import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

describe("Admin: users", () => {
  it("shows the API's reason in words when it refuses (403)", async () => {
    const forbidden = {
      status: 403,
      body: { title: "Forbidden", status: 403, detail: "Only dashboard admins may do this." },
    };
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/users": forbidden,
      "GET /api/v1/apps": forbidden,
    });
    renderAt("/users");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "You may not see this: Only dashboard admins may do this.",
    );
    expect(screen.queryByRole("search")).not.toBeInTheDocument();
  });

  it("searches, filters by app and role, and pages with the API's cursor", async () => {
    const api = fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "GET /api/v1/users": (call) =>
        call.path.includes("cursor=c2")
          ? { status: 200, body: { items: [ADMIN], next_cursor: null } }
          : { status: 200, body: { items: [PERSON], next_cursor: "c2" } },
    });
    const user = userEvent.setup();
    renderAt("/users");
    const table = await screen.findByRole("table");
    expect(within(table).getByRole("link", { name: "Bob Builder" })).toHaveAttribute(
      "href",
      "/users/id-bob",
    );

    await user.type(screen.getByLabelText("Search by email or name"), "bob");
    await user.click(screen.getByRole("button", { name: "Search" }));
    await user.selectOptions(await screen.findByLabelText("App"), "demo");
    await user.selectOptions(screen.getByLabelText("Role"), "user");
    const last = api.calls.filter((c) => c.path.startsWith("/api/v1/users")).at(-1);
    expect(last?.path).toBe("/api/v1/users?limit=25&q=bob&app=demo&role=user");

    await user.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByRole("link", { name: "Ada Admin" })).toBeInTheDocument();
    expect(api.calls.at(-1)?.path).toContain("cursor=c2");
    expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByRole("link", { name: "Bob Builder" })).toBeInTheDocument();
  });
});
