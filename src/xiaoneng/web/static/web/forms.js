/* The web kit's form helpers, no framework: a character counter under each long text field
   (a textarea with data-counted="limit"), focus on the error summary when a page has one, a
   filter box above each searchable picker (a select with data-searchable: the options not
   matching what is typed are hidden), and insert buttons (data-insert="field name": the text of
   the snippet beside the button goes into that field of the form; shown only with JavaScript,
   without it the snippet is there to copy; a hint marked data-without-js, for readers without
   JavaScript, is hidden). Content that htmx swaps in is enhanced too. */
(function () {
  "use strict";
  var script = document.currentScript;
  var template = (script && script.getAttribute("data-count")) || "{n} / {limit}";
  function counter(area) {
    var limit = parseInt(area.getAttribute("data-counted"), 10);
    if (!limit || area.getAttribute("data-counting")) { return; }
    area.setAttribute("data-counting", "1");
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
  var filterLabel = (script && script.getAttribute("data-filter")) || "Filter";
  function picker(select) {
    if (select.getAttribute("data-filtered")) { return; }
    select.setAttribute("data-filtered", "1");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-filter";
    box.setAttribute("aria-label", filterLabel + (select.labels && select.labels[0] ? " · " + select.labels[0].textContent.trim() : ""));
    box.placeholder = filterLabel;
    box.setAttribute("aria-controls", select.id || "");
    select.insertAdjacentElement("beforebegin", box);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      select.querySelectorAll("option").forEach(function (option) {
        var text = option.textContent.toLowerCase();
        var shown = !option.value || words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !shown;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    });
  }
  function insert(button) {
    if (!button.hidden) { return; }  // already enhanced
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = button.closest("form");
      var area = form && form.querySelector("[name='" + button.getAttribute("data-insert") + "']");
      var source = button.parentElement.querySelector(".snippet-text");
      if (!area || !source) { return; }
      var text = source.textContent;
      if (button.getAttribute("data-insert-mode") === "start" && !area.value.trim()) {
        area.value = text;
      } else {
        var at = typeof area.selectionStart === "number" ? area.selectionStart : area.value.length;
        var before = area.value.slice(0, at), after = area.value.slice(area.selectionEnd || at);
        var glue = before && !/\n$/.test(before) ? "\n" : "";
        area.value = before + glue + text + after;
        area.selectionStart = area.selectionEnd = (before + glue + text).length;
      }
      area.dispatchEvent(new Event("input", { bubbles: true }));
      area.focus();
    });
  }
  function enhance(root) {
    root.querySelectorAll("select[data-searchable]").forEach(picker);
    root.querySelectorAll("button[data-insert]").forEach(insert);
    root.querySelectorAll("textarea[data-counted]").forEach(counter);
    root.querySelectorAll("[data-without-js]").forEach(function (hint) { hint.hidden = true; });
  }
  function ready() {
    enhance(document);
    document.body.addEventListener("htmx:load", function (event) { enhance(event.target); });
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
