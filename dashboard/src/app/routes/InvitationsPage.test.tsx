import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

function invitation(overrides: Record<string, unknown> = {}) {
  return {
    id: 5,
    user_id: PERSON.id,
    email: PERSON.email,
    invited_by: `user:${ADMIN.id}`,
    roles: [],
    state: "pending",
    language: "en",
    created_at: "2026-12-01T10:00:00Z",
    expires_at: "2026-12-08T10:00:00Z",
    name: PERSON.name,
    invited_by_name: ADMIN.name,
    ...overrides,
  };
}

describe("Admin: invitations", () => {
  it("lists by state with names and readable dates; resends and withdraws after asking", async () => {
    let state = "pending";
    const api = fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/invitations": () => ({
        status: 200,
        body: { items: [invitation({ state })], next_cursor: null },
      }),
      "POST /api/v1/invitations/5/resend": { status: 200, body: invitation() },
      "POST /api/v1/invitations/5/withdraw": () => {
        state = "withdrawn";
        return { status: 200, body: invitation({ state }) };
      },
    });
    const user = userEvent.setup();
    renderAt("/invitations");
    const table = await screen.findByRole("table");
    expect(api.calls.at(-1)?.path).toBe("/api/v1/invitations?limit=25&state=pending");
    expect(within(table).getByRole("link", { name: "Bob Builder" })).toHaveAttribute(
      "href",
      `/users/${PERSON.id}`,
    );
    expect(within(table).getByText("bob@example.org")).toBeInTheDocument();
    expect(within(table).getByText("Ada Admin")).toBeInTheDocument();
    expect(within(table).getByText(/Dec 8, 2026/)).toBeInTheDocument();

    await user.click(within(table).getByRole("button", { name: "Resend to Bob Builder" }));
    await user.click(screen.getByRole("button", { name: "Mail a new invitation" }));
    expect(
      await screen.findByText("A new invitation was mailed to Bob Builder."),
    ).toBeInTheDocument();

    await user.click(
      screen.getByRole("button", { name: "Withdraw the invitation of Bob Builder" }),
    );
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveTextContent("Withdraw the invitation of Bob Builder?");
    await user.click(within(dialog).getByRole("button", { name: "Withdraw" }));
    expect(
      await screen.findByText("The invitation of Bob Builder was withdrawn."),
    ).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("State"), "withdrawn");
    expect(api.calls.at(-1)?.path).toBe("/api/v1/invitations?limit=25&state=withdrawn");
    expect(await within(screen.getByRole("table")).findByText("withdrawn")).toBeInTheDocument();
    // Withdrawn: nothing left to resend or withdraw.
    expect(screen.queryByRole("button", { name: /Resend/ })).not.toBeInTheDocument();
  });

  it("shows the API's detail in words when a resend is refused", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/invitations": {
        status: 200,
        body: { items: [invitation()], next_cursor: null },
      },
      "POST /api/v1/invitations/5/resend": {
        status: 409,
        body: { title: "Conflict", status: 409, detail: "This invitation was accepted already." },
      },
    });
    const user = userEvent.setup();
    renderAt("/invitations");
    await user.click(await screen.findByRole("button", { name: "Resend to Bob Builder" }));
    await user.click(screen.getByRole("button", { name: "Mail a new invitation" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Something went wrong: This invitation was accepted already.",
    );
  });
});
