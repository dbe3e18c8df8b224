// Settings: Kratos's "Your changes have been saved!" (1050001) is a message of the whole flow and
// its redirect back does not say which section was sent. On submit this tab keeps the section's
// group in sessionStorage; on the page that comes back the banner moves under that section's
// heading and the section is scrolled to. Without JavaScript the banner stays at the top.
(function () {
  "use strict";
  var KEY = "login-service:saved-section";
  document.addEventListener("submit", function (event) {
    var group = event.target.getAttribute("data-group");
    try { if (group) { sessionStorage.setItem(KEY, group); } } catch (e) { /* no storage */ }
  });
  function place() {
    var group = null;
    try { group = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) { return; }
    var saved = document.querySelector('[data-message-id="1050001"]');
    if (!group || !saved) { return; }
    var form = document.querySelector('form[data-group="' + group + '"]:not([data-resend])');
    if (!form) { return; }
    var heading = form.querySelector(".group-title");
    form.insertBefore(saved, heading ? heading.nextSibling : form.firstChild);
    form.scrollIntoView({ block: "start" });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", place);
  } else {
    place();
  }
})();
