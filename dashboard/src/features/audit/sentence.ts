import type { TFunction } from "i18next";
import type { AuditAction, AuditEntry } from "../../api/queries";
import { en } from "../../i18n/en";

/** Every action the API records, from the sentences (which tsc checks against its enum). */
export const AUDIT_ACTIONS: AuditAction[] = Object.entries(en.audit.sentence).flatMap(
  ([domain, verbs]) => Object.keys(verbs).map((verb) => `${domain}.${verb}` as AuditAction),
);

type Pairs = [string, string][];

function pairs(value: unknown): Pairs {
  if (!Array.isArray(value)) return [];
  return value.flatMap((pair: unknown) =>
    Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string"
      ? [[pair[0], pair[1]] as [string, string]]
      : [],
  );
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** Who acted, in words: a person's name, the command line, or the dashboard itself. */
export function actorWords(entry: AuditEntry, t: TFunction): string {
  const [kind, ...rest] = entry.actor.split(":");
  if (kind === "user") return entry.names.actor ?? t("audit.someoneDeleted");
  if (kind === "cli") return t("audit.cli", { who: rest.join(":") });
  return t("audit.system");
}

export function targetWords(entry: AuditEntry, t: TFunction): string {
  if (entry.names.target) return entry.names.target;
  return entry.target_type === "user" ? t("audit.someoneDeleted") : t("audit.something");
}

const capital = (sentence: string) => sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);

/** An action as a filter's choice, from its sentence: "Added … to the group …" (whoever did it,
 * to whomever), in the page's language. */
export function actionLabel(action: AuditAction, t: TFunction): string {
  const some = "…";
  const sentence = t(`audit.sentence.${action}`, {
    actor: "",
    target: some,
    member: some,
    app: some,
    role: some,
    before: some,
    interpolation: { escapeValue: false },
  });
  return capital(sentence.trim());
}

/** One entry as sentences: who did what to whom ("Grace removed the role on Nextcloud of Ada"). */
export function describe(entry: AuditEntry, t: TFunction): string[] {
  return sentencesOf(entry, t).map(capital);
}

function sentencesOf(entry: AuditEntry, t: TFunction): string[] {
  const summary = entry.summary;
  const app = (slug: string | undefined) =>
    slug ? (entry.names.apps[slug] ?? slug) : t("audit.something");
  const role = (name: string | undefined) =>
    name === "admin" || name === "user" ? t(`role.${name}`) : (name ?? "");
  const words = {
    actor: actorWords(entry, t),
    target: targetWords(entry, t),
    member: entry.names.member ?? t("audit.someoneDeleted"),
    app: entry.names.app ?? app(text(summary.app)),
    role: role(text(summary.role)),
    before: text(summary.before) ?? "",
    interpolation: { escapeValue: false },
  };
  const roleChanges = (before: Pairs, after: Pairs) => {
    const was = new Map(before);
    const now = new Map(after);
    return [...new Set([...was.keys(), ...now.keys()])].sort().flatMap((slug) => {
      const from = was.get(slug);
      const to = now.get(slug);
      if (from === to) return [];
      const values = { ...words, app: app(slug), role: role(to), before: role(from) };
      if (!to) return [t("audit.roleRemoved", values)];
      if (!from) return [t("audit.roleGiven", values)];
      return [t("audit.roleChanged", values)];
    });
  };

  if (entry.action === "user.set_role") {
    const before = text(summary.before);
    const after = text(summary.after);
    const slug = text(summary.app) ?? "";
    const found = roleChanges(before ? [[slug, before]] : [], after ? [[slug, after]] : []);
    if (found.length > 0) return found;
  }
  if (entry.action === "user.update") {
    const roles = summary.roles as { before?: unknown; after?: unknown } | undefined;
    const found = roleChanges(pairs(roles?.before), pairs(roles?.after));
    if (summary.state === "inactive") found.push(t("audit.deactivated", words));
    if (summary.state === "active") found.push(t("audit.activated", words));
    const changed = Array.isArray(summary.changed) ? summary.changed : [];
    if (changed.some((path) => path !== "/state")) found.push(t("audit.details", words));
    if (found.length > 0) return found;
  }
  return [t(`audit.sentence.${entry.action}`, words)];
}
