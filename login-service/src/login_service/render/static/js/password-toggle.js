// Shows and hides a password field: the button after each password field (hidden until this
// script runs, since it needs it) switches the field between type=password and type=text and
// says which by aria-pressed. Before the form is sent the field goes back to a password.
(function () {
  "use strict";
  function field(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }
  function show(button, visible) {
    var input = field(button);
    if (!input) { return; }
    input.type = visible ? "text" : "password";
    button.setAttribute("aria-pressed", visible ? "true" : "false");
  }
  var buttons = document.querySelectorAll("button.password-toggle");
  for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.password-toggle") : null;
    if (!button) { return; }
    show(button, button.getAttribute("aria-pressed") !== "true");
  });
  document.addEventListener("submit", function (event) {
    var inside = event.target.querySelectorAll("button.password-toggle");
    for (var j = 0; j < inside.length; j++) { show(inside[j], false); }
  });
})();
