import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import { PERSON, fakeApi } from "../test/fakeApi";
import { renderAt } from "../test/render";

describe("Languages", () => {
  afterEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("switches to Dutch and remembers it in the login_lang cookie login-service reads", async () => {
    fakeApi({
      "GET /api/v1/me": { status: 200, body: { ...PERSON, is_admin: false } },
      "GET /api/v1/me/apps": { status: 200, body: [] },
    });
    const user = userEvent.setup();
    renderAt("/");
    await user.selectOptions(await screen.findByLabelText("Language"), "nl");
    expect(await screen.findByRole("heading", { name: "Mijn apps" })).toBeInTheDocument();
    expect(screen.getByText("Je hebt nog geen apps.")).toBeInTheDocument();
    expect(document.cookie).toContain("login_lang=nl");
    expect(document.documentElement.lang).toBe("nl");
  });
});
