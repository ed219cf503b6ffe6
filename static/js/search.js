// Autocomplete of the search box. Without JavaScript the box is a plain
// form; here it becomes a WAI-ARIA 1.2 combobox whose listbox proposes
// titles, researchers, centers and topics as the reader types (the JSON of
// /<lang>/search/autocomplete/?q=). Arrow keys move through the options,
// Enter opens the chosen one (or searches when none is chosen), Escape
// closes the list.
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MIN_CHARS = 2;

  var form = document.querySelector("form[data-autocomplete]");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var input = form.querySelector("input[name='q']");
  var field = input && input.parentNode;
  if (!field) {
    return;
  }
  var status = form.querySelector("[data-autocomplete-status]");
  var endpoint = form.getAttribute("data-autocomplete");
  var countMessage = form.getAttribute("data-count-message") || "{count}";
  var noneMessage = form.getAttribute("data-none-message") || "";

  var listbox = document.createElement("ul");
  listbox.id = input.id + "-options";
  listbox.className = "autocomplete";
  listbox.setAttribute("role", "listbox");
  if (input.labels && input.labels.length) {
    listbox.setAttribute("aria-label", input.labels[0].textContent);
  }
  listbox.hidden = true;
  field.appendChild(listbox);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  var items = [];
  var active = -1;
  var timer = null;
  var controller = null;
  var shownTerm = null;

  function announce(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function options() {
    return listbox.querySelectorAll("[role='option']");
  }

  function setActive(index) {
    var all = options();
    if (active >= 0 && all[active]) {
      all[active].setAttribute("aria-selected", "false");
    }
    active = index;
    if (active >= 0 && all[active]) {
      all[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    if (items.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function close() {
    setActive(-1);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function go(index) {
    var item = items[index];
    if (item) {
      close();
      window.location.assign(item.url);
    }
  }

  function render(results, term) {
    items = results;
    shownTerm = term;
    active = -1;
    listbox.textContent = "";
    results.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = listbox.id + "-" + index;
      option.className = "autocomplete__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var label = document.createElement("span");
      label.className = "autocomplete__label";
      label.textContent = item.label;
      if (item.lang) {
        label.lang = item.lang;
      }
      var kind = document.createElement("span");
      kind.className = "autocomplete__kind";
      kind.textContent = item.type_label || item.type;
      option.appendChild(label);
      option.appendChild(kind);
      listbox.appendChild(option);
    });
    input.removeAttribute("aria-activedescendant");
    if (results.length) {
      open();
      announce(countMessage.replace("{count}", results.length));
    } else {
      close();
      announce(noneMessage);
    }
  }

  function update() {
    var term = input.value.trim();
    if (term.length < MIN_CHARS) {
      items = [];
      shownTerm = null;
      close();
      return;
    }
    if (term === shownTerm) {
      open();
      return;
    }
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    var url = endpoint + "?" + new URLSearchParams({ q: term }).toString();
    fetch(url, {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        // Answers that arrive after the reader typed on are dropped.
        if (input.value.trim() === term) {
          render(data.results || [], term);
        }
      })
      .catch(function () {
        // Aborted or offline: the form still searches.
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", function (event) {
    var count = items.length;
    switch (event.key) {
      case "ArrowDown":
        if (listbox.hidden) {
          update();
          open();
        } else if (count) {
          setActive(active + 1 >= count ? 0 : active + 1);
        }
        event.preventDefault();
        break;
      case "ArrowUp":
        if (!listbox.hidden && count) {
          setActive(active <= 0 ? count - 1 : active - 1);
          event.preventDefault();
        }
        break;
      case "Enter":
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          go(active);
        }
        break;
      case "Escape":
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    // Let a click on an option land first.
    setTimeout(close, 150);
  });

  // mousedown would move the focus out of the field before the click.
  listbox.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });

  listbox.addEventListener("click", function (event) {
    var option = event.target.closest("[role='option']");
    if (option) {
      go(Array.prototype.indexOf.call(options(), option));
    }
  });
})();
