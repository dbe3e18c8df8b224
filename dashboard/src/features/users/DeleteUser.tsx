import { useTranslation } from "react-i18next";
import { Confirm } from "../../components/Confirm";

interface Props {
  name: string;
  deleting: boolean;
  error: unknown;
  onConfirm: () => void;
}

/** Delete behind a confirmation that names the person. */
export function DeleteUser({ name, deleting, error, onConfirm }: Props) {
  const { t } = useTranslation();
  return (
    <Confirm
      open={t("user.delete")}
      title={t("user.confirmTitle", { name })}
      text={t("user.confirmText", { name })}
      confirm={t("user.confirm", { name })}
      busy={deleting}
      error={error}
      onConfirm={onConfirm}
    />
  );
}
