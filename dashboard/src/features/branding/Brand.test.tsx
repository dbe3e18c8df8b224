import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { PERSON, fakeApi } from "../../test/fakeApi";
import { renderAt } from "../../test/render";

const SIGNED_IN = {
  "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
  "GET /api/v1/me/apps": { status: 200, body: [] },
};

describe("Branding", () => {
  afterEach(() => document.documentElement.style.removeProperty("--brand"));

  it("shows the organisation's name, logo and accent colour from the API", async () => {
    fakeApi({
      ...SIGNED_IN,
      "GET /api/v1/branding": {
        status: 200,
        body: {
          name: "Acme Co-op",
          logo_url: "https://acme.example/logo.svg",
          accent_color: "#aa3300",
        },
      },
    });
    const { container } = renderAt("/");
    const home = await screen.findByRole("link", { name: "Acme Co-op" });
    expect(home).toHaveAttribute("href", "/");
    expect(container.querySelector("img.logo")).toHaveAttribute(
      "src",
      "https://acme.example/logo.svg",
    );
    expect(document.documentElement.style.getPropertyValue("--brand")).toBe("#aa3300");
    await waitFor(() => expect(document.title).toBe("Acme Co-op"));
    expect(screen.queryByText("Stackspin")).not.toBeInTheDocument();
  });

  it("falls back to the product's name and colour when the API cannot say", async () => {
    fakeApi({
      ...SIGNED_IN,
      "GET /api/v1/branding": { status: 503, body: { title: "Unavailable", status: 503 } },
    });
    const { container } = renderAt("/");
    expect(await screen.findByRole("link", { name: "Stackspin" })).toBeInTheDocument();
    expect(container.querySelector("img.logo")).toBeNull();
    expect(document.documentElement.style.getPropertyValue("--brand")).toBe("");
  });
});
