// The header's search panel. Without JavaScript the "Search" link opens the
// search page, which shows the same form, suggestions and frequent
// searches; here it opens and closes the panel in place.
(function () {
  "use strict";

  var toggle = document.querySelector("[data-search-toggle]");
  var panel = document.querySelector("[data-search-panel]");
  if (!toggle || !panel) {
    return;
  }
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var input = panel.querySelector("input[name='q']");
      if (input) {
        input.focus();
      }
    }
  }

  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    setOpen(panel.hidden);
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      setOpen(panel.hidden);
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.defaultPrevented) {
      setOpen(false);
      toggle.focus();
    }
  });
})();
