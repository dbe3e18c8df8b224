import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

describe("Admin: apps", () => {
  it("lists the apps, each a link to its page, and offers to add one", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
    });
    const { router } = renderAt("/apps");
    expect(await screen.findByRole("link", { name: "Demo app" })).toHaveAttribute(
      "href",
      "/apps/demo",
    );
    expect(screen.getByRole("cell", { name: "demo" })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("link", { name: "Add an app" }));
    expect(router.state.location.pathname).toBe("/apps/new");
  });

  it("shows the API's refusal in words and no add button", async () => {
    const refusal = { title: "Forbidden", status: 403, detail: "Only dashboard admins." };
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...ADMIN, is_admin: false } },
      "GET /api/v1/apps": { status: 403, body: refusal },
    });
    renderAt("/apps");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "You may not see this: Only dashboard admins.",
    );
    expect(screen.queryByRole("link", { name: "Add an app" })).not.toBeInTheDocument();
  });
});
