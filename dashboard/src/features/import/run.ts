import { ApiError } from "../../api/client";
import { postBatch } from "../../api/queries";
import type { ImportRow } from "./csv";

export type Outcome = "would_create" | "created" | "exists" | "failed";

export interface RowResult {
  line: number;
  email: string;
  status: Outcome;
  reason: string;
}

const CHUNK = 100;

/**
 * Send the rows to the batch endpoint a chunk at a time (a dry run or for real), a result per
 * row in file order. A chunk the API refuses as a whole (422: an item does not match the
 * schema) is sent again without the items it named, each of those failed with the API's words.
 */
export async function runImport(
  rows: ImportRow[],
  {
    dryRun,
    invite,
    onProgress,
  }: { dryRun: boolean; invite: boolean; onProgress: (done: number) => void },
): Promise<RowResult[]> {
  const results = new Map<number, RowResult>();
  const fail = (row: ImportRow, reason: string) =>
    results.set(row.line, { line: row.line, email: row.email, status: "failed", reason });
  for (const row of rows) if (row.problem) fail(row, row.problem);
  const sendable = rows.filter((row) => !row.problem);
  for (let start = 0; start < sendable.length; start += CHUNK) {
    let chunk = sendable.slice(start, start + CHUNK);
    while (chunk.length > 0) {
      const users = chunk.map((row) => ({
        email: row.email,
        invite,
        roles: row.roles,
        ...(row.name ? { name: row.name } : {}),
        ...(row.username ? { username: row.username } : {}),
      }));
      try {
        const answer = await postBatch(users, dryRun);
        for (const item of answer.results) {
          const row = chunk[item.index];
          if (row)
            results.set(row.line, {
              line: row.line,
              email: row.email,
              status: item.status,
              reason: item.error ?? "",
            });
        }
        break;
      } catch (error) {
        const refused = error instanceof ApiError ? refusedItems(error) : new Map<number, string>();
        if (refused.size === 0) throw error;
        const current = chunk;
        refused.forEach((reason, index) => {
          const row = current[index];
          if (row) fail(row, reason);
        });
        chunk = chunk.filter((_, index) => !refused.has(index));
      }
    }
    onProgress(Math.min(start + CHUNK, sendable.length));
  }
  return [...results.values()].sort((a, b) => a.line - b.line);
}

/** A 422's messages by item index (`loc` is ["body", "users", index, field]). */
function refusedItems(error: ApiError): Map<number, string> {
  const refused = new Map<number, string>();
  if (error.status !== 422) return refused;
  for (const e of error.errors) {
    const [where, list, index, field] = e.loc;
    if (where === "body" && list === "users" && typeof index === "number" && !refused.has(index))
      refused.set(index, typeof field === "string" ? `${field}: ${e.msg}` : e.msg);
  }
  return refused;
}
