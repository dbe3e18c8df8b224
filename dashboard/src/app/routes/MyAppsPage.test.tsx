import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { browser } from "../../features/session/RequireSession";
import { ADMIN, PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

describe("My apps", () => {
  it("shows each app the person may use with a link and their role", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/me/apps": {
        status: 200,
        body: [
          {
            slug: "demo",
            name: "Demo app",
            url: "http://localhost/demo/",
            icon_url: null,
            external: false,
            role: "user",
          },
        ],
      },
    });
    renderAt("/");
    const grid = await screen.findByRole("list", { name: "My apps" });
    const link = within(grid).getByRole("link", { name: "Open Demo app" });
    expect(link).toHaveAttribute("href", "http://localhost/demo/");
    expect(within(grid).getByText("user")).toBeInTheDocument();
    expect(screen.getByText("Signed in as Bob Builder")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Account settings" })).toHaveAttribute(
      "href",
      "/auth/settings",
    );
    expect(screen.getByRole("button", { name: "Sign out" }).closest("form")).toHaveAttribute(
      "action",
      "/api/v1/auth/logout",
    );
    // Not an admin: no admin links.
    expect(screen.queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
  });

  it("shows an app's icon, and its initial when the icon does not load", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/me/apps": {
        status: 200,
        body: [
          {
            slug: "files",
            name: "Files",
            url: "https://files.example.org/",
            icon_url: "https://icons.example.org/files.svg",
            external: false,
            role: "user",
          },
        ],
      },
    });
    renderAt("/");
    const link = await screen.findByRole("link", { name: "Open Files" });
    const icon = link.querySelector("img");
    expect(icon).toHaveAttribute("src", "https://icons.example.org/files.svg");
    expect(icon).toHaveAttribute("alt", "");
    expect(within(link).queryByText("F")).not.toBeInTheDocument();
    fireEvent.error(icon as HTMLImageElement);
    expect(link.querySelector("img")).toBeNull();
    expect(within(link).getByText("F")).toBeInTheDocument();
  });

  it("says whom to ask when there are no apps besides the dashboard itself", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/me/apps": {
        status: 200,
        body: [
          {
            slug: "dashboard",
            name: "Dashboard",
            url: "/",
            icon_url: null,
            external: false,
            role: "user",
          },
        ],
      },
    });
    renderAt("/");
    expect(await screen.findByText("You have no apps yet.")).toBeInTheDocument();
    expect(screen.getByText(/Ask your organisation's dashboard admin/)).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Open Dashboard" })).not.toBeInTheDocument();
  });

  it("shows the admin links to a dashboard admin", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: ADMIN },
      "GET /api/v1/me/apps": { status: 200, body: [] },
    });
    renderAt("/");
    expect(await screen.findByRole("link", { name: "Users" })).toHaveAttribute("href", "/users");
    expect(screen.getByRole("link", { name: "Apps" })).toHaveAttribute("href", "/apps");
  });

  it("sends a browser without a session to dashboard-api's login, back to where it was", async () => {
    const leave = vi.spyOn(browser, "leaveTo").mockImplementation(() => undefined);
    fakeApi({
      "GET /api/v1/me": {
        status: 401,
        body: { title: "Unauthorized", status: 401, detail: "Sign in first." },
      },
    });
    renderAt("/");
    expect(await screen.findByText("Taking you to the sign-in page…")).toBeInTheDocument();
    expect(leave).toHaveBeenCalledWith("/api/v1/auth/login?return_to=%2F");
  });

  it("says what went wrong when the API fails", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/me/apps": {
        status: 503,
        body: { title: "Service Unavailable", status: 503, detail: "Kratos is not answering." },
      },
    });
    renderAt("/");
    expect(await screen.findByRole("alert", {}, { timeout: 5000 })).toHaveTextContent(
      "Something went wrong: Kratos is not answering.",
    );
  });
});
