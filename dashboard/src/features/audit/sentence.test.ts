import i18next from "i18next";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../api/queries";
import { en } from "../../i18n/en";
import { nl } from "../../i18n/nl";
import { AUDIT_ACTIONS, describe as sentences } from "./sentence";

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    id: 1,
    at: "2026-12-01T10:00:00Z",
    actor: "user:id-grace",
    action: "user.create",
    target_type: "user",
    target_id: "id-ada",
    summary: {},
    request_id: null,
    names: { actor: "Grace Admin", target: "Ada Lovelace", app: null, member: null, apps: {} },
    ...overrides,
  };
}

async function translator(language: "en" | "nl") {
  const instance = i18next.createInstance();
  await instance.init({
    lng: language,
    resources: { [language]: { translation: language === "en" ? en : nl } },
    interpolation: { escapeValue: false },
  });
  return instance.t;
}

describe("audit sentences", () => {
  it("has every action the API's enum has (tsc checks the list against it)", () => {
    expect(AUDIT_ACTIONS).toContain("user.set_role");
    expect(AUDIT_ACTIONS).toContain("group.add_member");
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });

  it.each(["en", "nl"] as const)("words every action in %s with names", async (language) => {
    const t = await translator(language);
    for (const action of AUDIT_ACTIONS) {
      const [first] = sentences(
        entry({
          action,
          summary: { app: "nc", role: "user", before: "old-name", subject: "id-bob" },
          names: {
            actor: "Grace Admin",
            target: "Ada Lovelace",
            app: "Nextcloud",
            member: "Bob",
            apps: { nc: "Nextcloud" },
          },
        }),
        t,
      );
      expect(first, action).toBeTruthy();
      expect(first, action).not.toContain("{{");
      expect(first, action).not.toContain("audit.");
      expect(first, action).toMatch(/Ada Lovelace|Grace Admin/);
    }
  });

  it("says a removed role in words: who removed it on which app of whom", async () => {
    const t = await translator("en");
    const removed = entry({
      action: "user.update",
      summary: { roles: { before: [["nc", "user"]], after: [] }, changed: [] },
      names: {
        actor: "Grace Admin",
        target: "Ada Lovelace",
        app: null,
        member: null,
        apps: { nc: "Nextcloud" },
      },
    });
    expect(sentences(removed, t)).toEqual([
      "Grace Admin removed the role on Nextcloud of Ada Lovelace",
    ]);
    const nlT = await translator("nl");
    expect(sentences(removed, nlT)).toEqual([
      "Grace Admin verwijderde de rol in Nextcloud van Ada Lovelace",
    ]);
  });

  it("names the command line, the system and a deleted person", async () => {
    const t = await translator("en");
    expect(
      sentences(
        entry({
          actor: "cli:root",
          names: { actor: null, target: null, app: null, member: null, apps: {} },
        }),
        t,
      ),
    ).toEqual(["The command line (root) created the account of a deleted person"]);
    expect(
      sentences(entry({ actor: "system:dashboard-api", action: "user.reconcile_orphan" }), t)[0],
    ).toBe("The dashboard itself deleted the unfinished account Ada Lovelace");
  });
});
