import { Link } from "react-router";
import { useTranslation } from "react-i18next";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t("state.notFound")}</h1>
      <p>
        <Link to="/">{t("state.home")}</Link>
      </p>
    </section>
  );
}
