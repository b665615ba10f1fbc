// recognition — small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before a button with data-confirm sends its form.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter || event.target.querySelector("[data-confirm]");
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // One click sends one request: disable the buttons until the page changes.
    if (!event.defaultPrevented && event.target.method.toLowerCase() === "post") {
      window.setTimeout(function () {
        event.target.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    }
  });
  // Expand or collapse every branch of a tree.
  document.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-tree-toggle") === "open";
      document.querySelectorAll(".unit-tree details").forEach(function (node) { node.open = open; });
    });
  });
  // Select boxes marked data-autosubmit send their form when changed (filters).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
})();
