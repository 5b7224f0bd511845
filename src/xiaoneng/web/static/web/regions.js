/* Tables wider than the screen scroll inside their .table-wrap box. A box that scrolls must be
   reachable by keyboard (WCAG 2.1.1): give it the focus and a name from its table's caption or
   the nearest heading, and take them away again when a wider window makes it fit. */
(function () {
  "use strict";
  function name(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = box.closest("section, figure, main");
    var heading = section && section.querySelector("h1, h2, h3, figcaption");
    return heading ? heading.textContent.trim() : "";
  }
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var label = name(box);
        if (label) { box.setAttribute("aria-label", label); }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
}());
