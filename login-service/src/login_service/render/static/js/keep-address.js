// Keeps the typed email (or username) when Kratos replaces an expired form with a fresh one:
// on submit the address is kept in this tab's sessionStorage; a page that shows Kratos's
// "form expired" message puts it back into the empty field. Passwords and codes are never kept.
(function () {
  "use strict";
  var KEY = "login-service:typed-address:" + location.pathname;
  var NAMES = ["identifier", "email", "traits.email"];
  var EXPIRED = ["4010001", "4040001", "4050001", "4060005", "4070005"];
  function addressField(root) {
    for (var i = 0; i < NAMES.length; i++) {
      var field = root.querySelector('input[name="' + NAMES[i] + '"]:not([type="hidden"])');
      if (field) { return field; }
    }
    return null;
  }
  document.addEventListener("submit", function (event) {
    var field = addressField(event.target);
    try {
      if (field && field.value) { sessionStorage.setItem(KEY, field.value); }
    } catch (e) { /* storage disabled: nothing to keep */ }
  });
  function restore() {
    var kept = null;
    try { kept = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) { return; }
    if (!kept) { return; }
    var expired = false;
    for (var i = 0; i < EXPIRED.length; i++) {
      if (document.querySelector('[data-message-id="' + EXPIRED[i] + '"]')) { expired = true; }
    }
    var field = addressField(document);
    if (expired && field && !field.value) { field.value = kept; }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
