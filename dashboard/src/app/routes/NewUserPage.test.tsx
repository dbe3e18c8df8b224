import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ADMIN, APPS, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const CAROL = {
  id: "id-carol",
  email: "carol@example.org",
  name: "Carol Chen",
  username: "carol",
  state: "active",
  email_verified: false,
  created_at: null,
  roles: [
    { app: "dashboard", role: "user" as const },
    { app: "demo", role: "admin" as const },
  ],
};

function api(create: { status: number; body?: unknown }) {
  return fakeApi({
    "GET /api/v1/me": { status: 200, body: ADMIN },
    "GET /api/v1/apps": { status: 200, body: APPS },
    "POST /api/v1/users": create,
    "GET /api/v1/users/id-carol": { status: 200, body: CAROL },
    "GET /api/v1/users/id-carol/invitations": {
      status: 200,
      body: { items: [], next_cursor: null },
    },
    "GET /api/v1/users/id-carol/sessions": { status: 200, body: [] },
  });
}

describe("Admin: create a user", () => {
  it("is reached from the users table", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "GET /api/v1/users": { status: 200, body: { items: [], next_cursor: null } },
    });
    const user = userEvent.setup();
    renderAt("/users");
    await user.click(await screen.findByRole("link", { name: "Create a user" }));
    expect(await screen.findByRole("heading", { name: "Create a user" })).toBeInTheDocument();
  });

  it("says what is wrong before sending anything, and focuses the field", async () => {
    const calls = api({ status: 201, body: CAROL }).calls;
    const user = userEvent.setup();
    renderAt("/users/new");
    await user.type(await screen.findByLabelText("Email"), "carol");
    await user.type(screen.getByLabelText("Username (optional)"), "-bad name");
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(
      "Enter an email address like name@example.org.",
    );
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.getByLabelText("Username (optional)")).toHaveAttribute("aria-invalid", "true");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("creates with roles and an invitation, then opens the person's page", async () => {
    const calls = api({ status: 201, body: CAROL }).calls;
    const user = userEvent.setup();
    renderAt("/users/new");
    await user.type(await screen.findByLabelText("Name (optional)"), "Carol Chen");
    await user.type(screen.getByLabelText("Email"), "carol@example.org");
    await user.type(screen.getByLabelText("Username (optional)"), "carol");
    await user.selectOptions(await screen.findByLabelText("Role on Demo app"), "admin");
    expect(screen.getByLabelText(/Mail an invitation/)).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(
      await screen.findByText("Carol Chen was created and an invitation was mailed."),
    ).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Carol Chen" })).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      email: "carol@example.org",
      name: "Carol Chen",
      username: "carol",
      invite: true,
      roles: [
        { app: "dashboard", role: "user" },
        { app: "demo", role: "admin" },
      ],
    });
  });

  it("shows the API's refusal in words (409) and stays on the form", async () => {
    api({
      status: 409,
      body: { title: "Conflict", status: 409, detail: "A user with this email exists." },
    });
    const user = userEvent.setup();
    renderAt("/users/new");
    await user.type(await screen.findByLabelText("Email"), "carol@example.org");
    await user.click(screen.getByLabelText(/Mail an invitation/));
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Something went wrong: A user with this email exists.",
    );
    expect(screen.getByLabelText("Email")).toHaveValue("carol@example.org");
  });

  it("puts a 422's message beside the field it is about", async () => {
    api({
      status: 422,
      body: {
        title: "Unprocessable Content",
        status: 422,
        detail: "The request does not match the schema.",
        errors: [{ loc: ["body", "email"], msg: "value is not a valid email address", type: "x" }],
      },
    });
    const user = userEvent.setup();
    renderAt("/users/new");
    await user.type(await screen.findByLabelText("Email"), "carol@example.invalid");
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(await screen.findByText("value is not a valid email address")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
  });
});
