import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Call } from "../../test/fakeApi";
import { ADMIN, APPS, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

interface Item {
  email: string;
}

// Like the API: known@ exists, the rest would be (or is) created; "bad@x" fails its schema.
function batch(call: Call) {
  const users = (call.body as { users: Item[] }).users;
  const bad = users.findIndex((u) => u.email === "bad@x");
  if (bad >= 0)
    return {
      status: 422,
      body: {
        title: "Unprocessable Content",
        status: 422,
        detail: "The request does not match the schema.",
        errors: [{ loc: ["body", "users", bad, "email"], msg: "not a valid email", type: "x" }],
      },
    };
  const dry = call.path.includes("dry_run=true");
  const results = users.map((u, index) => ({
    index,
    email: u.email,
    status: u.email === "known@example.org" ? "exists" : dry ? "would_create" : "created",
  }));
  return { status: 200, body: { results, created: 0, exists: 0, failed: 0 } };
}

const FILE =
  "\uFEFFEmail;Name;Roles\n" +
  "new@example.org;Nina New;demo:user\n" +
  "known@example.org;Kim Known;\n" +
  "bad@x;Bad;\n" +
  ";No Email;\n" +
  "odd@example.org;Odd;demo:owner\n";

describe("Admin: import users from a CSV", () => {
  it("previews each row with a dry run, imports, and offers the results as CSV", async () => {
    const api = fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "POST /api/v1/users/batch": batch,
    });
    const user = userEvent.setup();
    renderAt("/users/import");
    const file = new File([FILE], "people.csv", { type: "text/csv" });
    await user.upload(await screen.findByLabelText("CSV file"), file);

    expect(
      await screen.findByText(
        "Nothing written yet: 1 would be created, 1 exist already, 3 cannot be imported.",
      ),
    ).toBeInTheDocument();
    const rows = within(screen.getByRole("table")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      "2new@example.orgwill be created",
      "3known@example.orgexists already",
      "4bad@xfailed: email: not a valid email",
      "5—failed: no email",
      '6odd@example.orgfailed: role "demo:owner" is not app:admin or app:user',
    ]);
    const dry = api.calls.filter((c) => c.method === "POST");
    expect(dry.every((c) => c.path.includes("dry_run=true"))).toBe(true);
    expect(dry.at(-1)?.body).toEqual({
      users: [
        {
          email: "new@example.org",
          name: "Nina New",
          invite: true,
          roles: [{ app: "demo", role: "user" }],
        },
        { email: "known@example.org", name: "Kim Known", invite: true, roles: [] },
      ],
    });

    await user.click(screen.getByRole("button", { name: "Import 1 users" }));
    expect(
      await screen.findByText("Done: 1 created, 1 existed already, 3 failed."),
    ).toBeInTheDocument();
    expect(api.calls.at(-1)?.path).toBe("/api/v1/users/batch?dry_run=false");
    const link = screen.getByRole("link", { name: "Download the results (CSV)" });
    const csv = decodeURIComponent(link.getAttribute("href")?.split(",").slice(1).join(",") ?? "");
    expect(csv.split("\r\n").slice(0, 3)).toEqual([
      "line,email,status,reason",
      "2,new@example.org,created,",
      "3,known@example.org,exists,",
    ]);
  });

  it("says so when the file has no email column", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
    });
    const user = userEvent.setup();
    renderAt("/users/import");
    const file = new File(["name,username\nA,a\n"], "people.csv", { type: "text/csv" });
    await user.upload(await screen.findByLabelText("CSV file"), file);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The file needs a header row with at least an email column.",
    );
  });

  it("shows the API's refusal in words and writes nothing", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/apps": { status: 200, body: APPS },
      "POST /api/v1/users/batch": {
        status: 503,
        body: { title: "Service Unavailable", status: 503, detail: "Kratos does not answer." },
      },
    });
    const user = userEvent.setup();
    renderAt("/users/import");
    await user.upload(
      await screen.findByLabelText("CSV file"),
      new File(["email\na@example.org\n"], "p.csv", { type: "text/csv" }),
    );
    expect(await screen.findByRole("alert")).toHaveTextContent("Kratos does not answer.");
    expect(screen.queryByRole("button", { name: /Import/ })).not.toBeInTheDocument();
  });
});
