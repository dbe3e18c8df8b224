import { useId, useMemo, useState } from "react";
import { Link } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "../../components/States";
import { readCsv, resultsCsv, type ImportRow } from "../../features/import/csv";
import { runImport, type RowResult } from "../../features/import/run";

type Step = "choose" | "previewing" | "preview" | "importing" | "done";

export function ImportPage() {
  const { t } = useTranslation();
  const ids = { file: useId(), invite: useId(), progress: useId() };
  const client = useQueryClient();
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [invite, setInvite] = useState(true);
  const [step, setStep] = useState<Step>("choose");
  const [results, setResults] = useState<RowResult[]>([]);
  const [done, setDone] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [fileProblem, setFileProblem] = useState("");

  async function choose(file: File | undefined) {
    setError(null);
    setResults([]);
    setFileProblem("");
    if (!file) return;
    const read = readCsv(await file.text());
    if (read.missingEmail || read.rows.length === 0) {
      setFileProblem(read.missingEmail ? t("import.noEmailColumn") : t("import.noRows"));
      setStep("choose");
      return;
    }
    setRows(read.rows);
    await run(read.rows, true);
  }

  async function run(which: ImportRow[], dryRun: boolean) {
    setStep(dryRun ? "previewing" : "importing");
    setDone(0);
    setError(null);
    try {
      setResults(await runImport(which, { dryRun, invite, onProgress: setDone }));
      setStep(dryRun ? "preview" : "done");
      if (!dryRun) void client.invalidateQueries({ queryKey: ["users"] });
    } catch (caught) {
      setError(caught);
      setStep(dryRun ? "choose" : "preview");
    }
  }

  const download = useMemo(
    () =>
      step === "done"
        ? `data:text/csv;charset=utf-8,${encodeURIComponent(resultsCsv(results))}`
        : null,
    [step, results],
  );
  const busy = step === "previewing" || step === "importing";
  const toCreate = results.filter((r) => r.status === "would_create").length;
  const sendable = rows.filter((r) => !r.problem).length;

  return (
    <section aria-labelledby="import-title">
      <p>
        <Link to="/users">← {t("user.back")}</Link>
      </p>
      <h1 id="import-title">{t("import.title")}</h1>
      <p>{t("import.format")}</p>
      <div className="stacked">
        <div className="field">
          <label htmlFor={ids.file}>{t("import.file")}</label>
          <input
            id={ids.file}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(event) => void choose(event.target.files?.[0])}
          />
        </div>
        <div className="check">
          <input
            id={ids.invite}
            type="checkbox"
            checked={invite}
            disabled={busy || step === "done"}
            onChange={(event) => setInvite(event.target.checked)}
          />
          <label htmlFor={ids.invite}>{t("import.invite")}</label>
        </div>
      </div>
      {fileProblem ? (
        <p className="state state-error" role="alert">
          {fileProblem}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}

      <div className="progress-line" role="status" aria-live="polite">
        {busy ? (
          <>
            <label htmlFor={ids.progress}>
              {step === "previewing" ? t("import.checking") : t("import.importing")}
            </label>{" "}
            <progress id={ids.progress} max={Math.max(sendable, 1)} value={done} />{" "}
            {t("import.progress", { done, total: sendable })}
          </>
        ) : step === "preview" ? (
          t("import.previewSummary", {
            create: toCreate,
            exists: results.filter((r) => r.status === "exists").length,
            failed: results.filter((r) => r.status === "failed").length,
          })
        ) : step === "done" ? (
          t("import.doneSummary", {
            created: results.filter((r) => r.status === "created").length,
            exists: results.filter((r) => r.status === "exists").length,
            failed: results.filter((r) => r.status === "failed").length,
          })
        ) : (
          ""
        )}
      </div>

      {step === "preview" ? (
        <div className="actions">
          <button type="button" disabled={toCreate === 0} onClick={() => void run(rows, false)}>
            {t("import.start", { count: toCreate })}
          </button>
        </div>
      ) : null}
      {download ? (
        <p>
          <a className="button" href={download} download="import-results.csv">
            {t("import.download")}
          </a>
        </p>
      ) : null}

      {results.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              {step === "done" ? t("import.results") : t("import.preview")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("import.line")}</th>
                <th scope="col">{t("users.email")}</th>
                <th scope="col">{t("import.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.line} className={`outcome-${r.status}`}>
                  <td>{r.line}</td>
                  <td>{r.email || "—"}</td>
                  <td>
                    {t(`import.status.${r.status}`)}
                    {r.reason ? `: ${r.reason}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
