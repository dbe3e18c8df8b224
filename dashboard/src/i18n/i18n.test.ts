import { describe, expect, it } from "vitest";
import { en } from "./en";
import { nl } from "./nl";

function keys(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === "string" ? [prefix + key] : keys(inner as object, `${prefix}${key}.`),
  );
}

describe("translations", () => {
  it("Dutch has every English string and no other", () => {
    expect(keys(nl).sort()).toEqual(keys(en).sort());
  });

  it("keeps every {{placeholder}} of the English text", () => {
    const flat = (obj: object, path: string) =>
      path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], obj) as string;
    for (const key of keys(en)) {
      const wanted =
        flat(en, key)
          .match(/{{\w+}}/g)
          ?.sort() ?? [];
      expect(
        flat(nl, key)
          .match(/{{\w+}}/g)
          ?.sort() ?? [],
        key,
      ).toEqual(wanted);
    }
  });
});
