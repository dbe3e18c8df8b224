// Copy and Print for the backup recovery codes (Download is a plain data: link and needs no
// script). The buttons stay hidden without JavaScript.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-codes-copy], [data-codes-print]");
  for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (!target) { return; }
    var copy = target.closest("[data-codes-copy]");
    if (copy) {
      var codes = copy.getAttribute("data-codes-copy").split(" ").join("\n") + "\n";
      var status = copy.parentNode.querySelector(".copied");
      navigator.clipboard.writeText(codes).then(function () {
        if (status) { status.textContent = status.getAttribute("data-copied-text"); }
      });
      return;
    }
    if (target.closest("[data-codes-print]")) { window.print(); }
  });
})();
