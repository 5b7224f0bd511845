// Hide a conditional question until the earlier answer it depends on is given (the server
// ignores answers to questions not asked, so without this script the page still works).
(function () {
  "use strict";
  var form = document.querySelector("form[data-questionnaire]");
  if (!form) { return; }
  var blocks = form.querySelectorAll("[data-show-key]");
  function update() {
    blocks.forEach(function (block) {
      var key = block.getAttribute("data-show-key");
      var wanted = block.getAttribute("data-show-values").split(",");
      var chosen = Array.prototype.map.call(
        form.querySelectorAll('[name="q-' + key + '"]:checked'), function (i) { return i.value; });
      var shown = chosen.some(function (v) { return wanted.indexOf(v) >= 0; });
      block.hidden = !shown;
      block.style.display = shown ? "" : "none";  // the form lays fields out with flex
    });
  }
  form.addEventListener("change", update);
  update();
}());
