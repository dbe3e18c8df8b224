// Asks before a button that removes a second factor (unlink TOTP, disable backup codes, remove a
// security key) submits: the question is the button's data-confirm text, in the page's language.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
