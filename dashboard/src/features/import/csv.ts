import Papa from "papaparse";
import type { AppRole } from "../../api/client";

/** One data row of the file: its line number (the header is line 1) and what it asks for. */
export interface ImportRow {
  line: number;
  email: string;
  name: string;
  username: string;
  roles: AppRole[];
  /** Why the row cannot be sent at all (found here, before asking the API). */
  problem: string | null;
}

/**
 * Rows as spreadsheets write them, read like the CLI's `user import`: a UTF-8 byte order mark
 * or none, `,` or `;` between fields (whichever the header row uses more), header names in any
 * case; columns email, name, username, roles (`app:role`, several separated by `;`, `,` or spaces).
 */
export function readCsv(text: string): { rows: ImportRow[]; missingEmail: boolean } {
  const body = text.replace(/^\uFEFF/, "");
  const header = body.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = count(header, ";") > count(header, ",") ? ";" : ",";
  const parsed = Papa.parse<Record<string, string>>(body, {
    header: true,
    delimiter,
    skipEmptyLines: "greedy",
    transformHeader: (name) => name.trim().toLowerCase(),
  });
  if (!(parsed.meta.fields ?? []).includes("email")) return { rows: [], missingEmail: true };
  const rows = parsed.data.map((record, index) => {
    const value = (key: string) => (record[key] ?? "").trim();
    const { roles, problem } = readRoles(value("roles"));
    return {
      line: index + 2,
      email: value("email"),
      name: value("name"),
      username: value("username"),
      roles,
      problem: value("email") ? problem : "no email",
    };
  });
  return { rows, missingEmail: false };
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function readRoles(value: string): { roles: AppRole[]; problem: string | null } {
  const roles: AppRole[] = [];
  for (const spec of value.split(/[;,\s]+/).filter(Boolean)) {
    const [app, role, ...rest] = spec.split(":");
    if (!app || (role !== "admin" && role !== "user") || rest.length > 0) {
      return { roles: [], problem: `role "${spec}" is not app:admin or app:user` };
    }
    roles.push({ app, role });
  }
  return { roles, problem: null };
}

/** The results as a CSV file to download: one line per row of the upload. */
export function resultsCsv(
  rows: { line: number; email: string; status: string; reason: string }[],
): string {
  return Papa.unparse(
    rows.map((r) => ({ line: r.line, email: r.email, status: r.status, reason: r.reason })),
    { columns: ["line", "email", "status", "reason"] },
  );
}
