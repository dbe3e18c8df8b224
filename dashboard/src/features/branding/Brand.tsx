import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useBranding } from "../../api/queries";

/** The organisation's logo (or a dot in its colour) and name, as the login pages show them;
 * its accent colour becomes the page's (`--brand`, read by styles.css). */
export function Brand() {
  const { t } = useTranslation();
  const branding = useBranding();
  const accent = branding.data?.accent_color;
  const name = branding.data?.name ?? t("product");

  useEffect(() => {
    if (accent) document.documentElement.style.setProperty("--brand", accent);
  }, [accent]);
  useEffect(() => {
    document.title = name;
  }, [name]);

  return (
    <>
      {branding.data?.logo_url ? (
        <img className="logo" src={branding.data.logo_url} alt="" width="28" height="28" />
      ) : (
        <span className="logo" aria-hidden="true" />
      )}
      {name}
    </>
  );
}
