// The citation styles of the article page. Without JavaScript every style is
// a block of its own; here they become tabs (the WAI-ARIA tabs pattern,
// arrow keys select), and each gets a button that copies its plain text.
(function () {
  "use strict";

  var STORAGE_KEY = "citation-style";

  function remember(key) {
    try {
      window.localStorage.setItem(STORAGE_KEY, key);
    } catch (error) {
      // Private browsing or storage disabled: the choice is not kept.
    }
  }

  function remembered() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null;
    }
  }

  function setUpCopy(root, panels) {
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      return;
    }
    var status = root.querySelector("[data-citation-status]");
    var timer = null;
    function announce(message) {
      status.textContent = message;
      clearTimeout(timer);
      timer = setTimeout(function () { status.textContent = ""; }, 5000);
    }
    panels.forEach(function (panel) {
      var button = panel.querySelector("[data-copy-citation]");
      var text = panel.querySelector("[data-citation-text]");
      if (!button || !text) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(text.dataset.citationText).then(
          function () { announce(button.dataset.copiedMessage); },
          function () { announce(status.dataset.failedMessage); }
        );
      });
    });
  }

  function setUpTabs(root, panels) {
    if (panels.length < 2) {
      return;
    }
    var tablist = document.createElement("div");
    tablist.className = "citation__tabs";
    tablist.setAttribute("role", "tablist");
    tablist.setAttribute("aria-label", root.dataset.tablistLabel);

    var tabs = panels.map(function (panel) {
      var heading = panel.querySelector("[data-citation-style-name]");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.className = "citation__tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.dataset.citationStyle = panel.dataset.citationStyle;
      tab.textContent = heading.textContent;
      heading.hidden = true; // the tab names the panel now
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tablist.appendChild(tab);
      return tab;
    });

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var selected = i === index;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        panels[i].hidden = !selected;
      });
      if (focus) {
        tabs[index].focus();
      }
    }

    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () {
        select(index, false);
        remember(tab.dataset.citationStyle);
      });
    });

    tablist.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) {
        return;
      }
      var next = {
        ArrowRight: (current + 1) % tabs.length,
        ArrowLeft: (current - 1 + tabs.length) % tabs.length,
        Home: 0,
        End: tabs.length - 1
      }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      select(next, true);
      remember(tabs[next].dataset.citationStyle);
    });

    root.insertBefore(tablist, panels[0]);
    var keys = panels.map(function (panel) { return panel.dataset.citationStyle; });
    select(Math.max(0, keys.indexOf(remembered())), false);
  }

  document.querySelectorAll("[data-citation-styles]").forEach(function (root) {
    var panels = Array.prototype.slice.call(
      root.querySelectorAll("[data-citation-style]")
    );
    setUpCopy(root, panels);
    setUpTabs(root, panels);
  });
})();
