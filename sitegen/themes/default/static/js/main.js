// Progressive enhancements of the default theme; every page works without this file.
// 1. The colour-scheme toggle (the choice is remembered in localStorage).
// 2. The menu button on narrow screens (without JS the menu is simply shown).
// 3. --header-height follows the sticky header, so followed anchors land below it.
(function () {
  "use strict";
  var root = document.documentElement;

  var toggle = document.querySelector(".theme-toggle");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function currentScheme() {
    return root.dataset.theme || (systemDark.matches ? "dark" : "light");
  }
  function labelToggle() {
    var label = currentScheme() === "dark" ? toggle.dataset.labelLight : toggle.dataset.labelDark;
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
  }
  if (toggle) {
    toggle.hidden = false;
    labelToggle();
    toggle.addEventListener("click", function () {
      var next = currentScheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: not remembered */ }
      labelToggle();
    });
    systemDark.addEventListener("change", labelToggle);
  }

  var menuButton = document.querySelector(".menu-toggle");
  var menus = document.getElementById("site-nav");
  if (menuButton && menus) {
    menuButton.hidden = false;
    menuButton.addEventListener("click", function () {
      var open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", String(open));
      menus.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menus.classList.contains("open")) {
        menus.classList.remove("open");
        menuButton.setAttribute("aria-expanded", "false");
        menuButton.focus();
      }
    });
  }

  // Measured after the toggle and menu button above are set up: they change its height.
  var header = document.querySelector(".site-header");
  function measureHeader() {
    root.style.setProperty("--header-height", header.getBoundingClientRect().height + "px");
  }
  if (header) {
    measureHeader();
    if (window.ResizeObserver) { new ResizeObserver(measureHeader).observe(header); }
  }
})();
