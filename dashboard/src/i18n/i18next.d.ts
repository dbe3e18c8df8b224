import "i18next";
import type { en } from "./en";

// Translation keys are checked by tsc: t("no.such.key") does not compile.
declare module "i18next" {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}
