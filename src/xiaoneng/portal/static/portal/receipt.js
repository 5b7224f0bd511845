/* The receipt's copy and print buttons. Without this script the buttons stay hidden and the
   receipt's text is still there to select (one click selects it all) and copy. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var text = document.getElementById(button.getAttribute("data-copy"));
    var done = button.parentNode.querySelector(".copy-done");
    if (!text) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var say = function () { if (done) { done.textContent = done.getAttribute("data-copied"); } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.value).then(say, function () {
          text.select();
        });
      } else {
        text.focus();
        text.select();
        try { if (document.execCommand("copy")) { say(); } } catch (e) { /* selected: copy by hand */ }
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
  document.querySelectorAll(".copy-text").forEach(function (area) {
    area.addEventListener("focus", function () { area.select(); });
  });
})();
