import { useTranslation } from "react-i18next";
import { CopyButton } from "../../components/CopyButton";

export interface Row {
  label: string;
  value: string;
}

/** Settings to type into an app, one per row, each with its copy button. */
export function SettingsList({ rows }: { rows: Row[] }) {
  const { t } = useTranslation();
  return (
    <dl className="details settings">
      {rows.map((row, index) => (
        // Labels may repeat (one row per redirect URI): the position tells them apart.
        <div className="detail" key={`${String(index)}-${row.label}`}>
          <dt>{row.label}</dt>
          <dd>
            {row.value ? (
              <>
                <code>{row.value}</code> <CopyButton text={row.value} what={row.label} />
              </>
            ) : (
              t("settings.empty")
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
