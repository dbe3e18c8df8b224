/** A time from the API in the reader's language, or a dash. */
export function formatTime(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(value),
  );
}
