"use strict";
// A file, not an inline script: the page's CSP allows scripts from this origin only.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});

// "Try it out" sends the dashboard session cookie (same origin): say whose it is.
fetch("/api/v1/me", { credentials: "same-origin", headers: { Accept: "application/json" } })
  .then((response) => (response.ok ? response.json() : null))
  .then((me) => {
    if (!me) return;
    document.getElementById("docs-who").textContent =
      "Signed in as " + (me.email || me.id) + "; the operations run as you.";
    document.getElementById("docs-sign-in").textContent = "Sign in again";
  })
  .catch(() => {});
