/* The web kit's form helpers, no framework: a character counter under each long text field
   (a textarea with data-counted="limit"), and focus on the error summary when a page has one. */
(function () {
  "use strict";
  var script = document.currentScript;
  var template = (script && script.getAttribute("data-count")) || "{n} / {limit}";
  function counter(area) {
    var limit = parseInt(area.getAttribute("data-counted"), 10);
    if (!limit) { return; }
    var out = document.createElement("span");
    out.className = "char-count";
    out.id = (area.id || area.name) + "-count";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    function update() {
      var n = Array.from(area.value).length;
      out.textContent = template.replace("{n}", n).replace("{limit}", limit);
      out.classList.toggle("over", n > limit);
    }
    area.addEventListener("input", update);
    update();
  }
  function ready() {
    document.querySelectorAll("textarea[data-counted]").forEach(counter);
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
