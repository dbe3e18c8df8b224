import i18n from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { nl } from "./nl";

export const LANGUAGES = { en: "English", nl: "Nederlands" } as const;
export type Language = keyof typeof LANGUAGES;
// The cookie login-service reads too (login-service/src/login_service/i18n.py), so the login
// pages follow a choice made here unless one was made there.
export const LANGUAGE_COOKIE = "login_lang";

export function setupI18n(): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n
      .use(LanguageDetector)
      .use(initReactI18next)
      .init({
        resources: { en: { translation: en }, nl: { translation: nl } },
        supportedLngs: Object.keys(LANGUAGES),
        nonExplicitSupportedLngs: true,
        load: "languageOnly",
        fallbackLng: "en",
        interpolation: { escapeValue: false }, // React escapes
        detection: {
          // The cookie first, then the browser's languages (what it sends as Accept-Language).
          order: ["cookie", "navigator"],
          lookupCookie: LANGUAGE_COOKIE,
          caches: ["cookie"],
          cookieMinutes: 365 * 24 * 60,
          cookieOptions: { path: "/", sameSite: "lax" },
        },
        initAsync: false,
      });
    i18n.on("languageChanged", (language) => {
      document.documentElement.lang = language;
    });
    document.documentElement.lang = i18n.resolvedLanguage ?? "en";
  }
  return i18n;
}
