// Wires Kratos's WebAuthn/passkey triggers without inline handlers (our CSP forbids them):
// a button with data-ory-trigger="oryWebAuthnLogin" calls window.oryWebAuthnLogin() from
// Kratos's webauthn.js on click; data-ory-load-trigger runs once the script has loaded.
(function () {
  "use strict";
  function call(name) {
    var fn = window[name];
    if (typeof fn === "function") { fn(); return true; }
    return false;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-ory-trigger]") : null;
    if (!button) { return; }
    event.preventDefault();
    call(button.getAttribute("data-ory-trigger"));
  });
  function runLoadTriggers() {
    var nodes = document.querySelectorAll("[data-ory-load-trigger]");
    for (var i = 0; i < nodes.length; i++) { call(nodes[i].getAttribute("data-ory-load-trigger")); }
  }
  window.addEventListener("load", runLoadTriggers);
})();
