// recognition — small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A note about a box: put under it (or under its input group) and added to what describes
  // the box, after what the page already names there; `ids` are the note's parts to name.
  function noteUnder(field, note, ids) {
    (field.closest(".input-group") || field).insertAdjacentElement("afterend", note);
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (name) { return name; });
    field.setAttribute("aria-describedby", described.concat(ids).join(" "));
  }

  // A file over the limits is refused here, before the form is sent: the server refuses a
  // request over its limit whole (HTTP 413), and what was typed in the form would go with it.
  var limits = document.getElementById("upload-limits");
  if (limits) {
    var fileBytes = Number(limits.getAttribute("data-file-bytes"));
    var requestBytes = Number(limits.getAttribute("data-request-bytes"));
    var showProblem = function (input, message) {
      var box = input.parentNode.querySelector(".upload-problem");
      if (!message) {
        input.classList.remove("is-invalid");
        if (box) { box.remove(); }
        return;
      }
      if (!box) {
        box = document.createElement("div");
        box.className = "invalid-feedback d-block upload-problem";
        box.setAttribute("role", "alert");
        input.insertAdjacentElement("afterend", box);
      }
      box.textContent = message;
      input.classList.add("is-invalid");
    };
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!(input instanceof HTMLInputElement) || input.type !== "file") { return; }
      var tooLarge = Array.prototype.filter.call(input.files || [], function (file) {
        return file.size > fileBytes;
      });
      showProblem(input, tooLarge.map(function (file) {
        return limits.getAttribute("data-file-message").replace("{name}", file.name);
      }).join(" "));
      if (tooLarge.length) { input.value = ""; }
    });
    document.addEventListener("submit", function (event) {
      var total = 0;
      event.target.querySelectorAll("input[type=file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
      });
      // The form's other fields and the multipart framing take a little of the limit too.
      if (total > requestBytes - 65536) {
        event.preventDefault();
        event.stopPropagation();
        window.alert(limits.getAttribute("data-request-message"));
      }
    }, true);
  }
  // A text box with a maxlength: the browser cuts a longer paste to the limit without a word,
  // and the person would lose the end of the text without knowing. Under the box: the count of
  // its characters once it is 80 % full, and after a paste that did not fit, how much of it was
  // left out (said politely to a screen reader). A password's length is not shown.
  var lengthTexts = document.getElementById("length-limits");
  if (lengthTexts) {
    var COUNTED_TYPES = ["text", "search", "email", "url", "tel"];
    var numbers = null;
    try {
      numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
    } catch (error) { /* an unknown language: plain digits */ }
    var spell = function (value) { return numbers ? numbers.format(value) : String(value); };
    var say = function (name, count, max) {
      return lengthTexts.getAttribute(name)
        .replace("{count}", spell(count)).replace("{max}", spell(max));
    };
    var limitOf = function (field) {
      var counted = field instanceof HTMLTextAreaElement ||
        (field instanceof HTMLInputElement &&
          (COUNTED_TYPES.indexOf(field.type) !== -1 || field.type === "password"));
      return counted && field.maxLength > 0 ? field.maxLength : 0;  // -1 without a maxlength
    };
    var notes = new WeakMap();
    var notesMade = 0;
    // The box's note, made the first time it is needed: under the box (or its input group),
    // and added to what describes the box, after what the page already names there.
    var noteOf = function (field) {
      if (notes.has(field)) { return notes.get(field); }
      notesMade += 1;
      var stem = (field.id || "field") + "-length-" + notesMade;
      var note = document.createElement("div");
      note.className = "length-note small";
      var count = document.createElement("div");
      count.className = "text-body-secondary";
      count.id = stem + "-count";
      var cut = document.createElement("div");
      cut.className = "text-warning-emphasis";
      cut.id = stem + "-cut";
      cut.setAttribute("aria-live", "polite");
      note.appendChild(count);
      note.appendChild(cut);
      noteUnder(field, note, [count.id, cut.id]);
      notes.set(field, { count: count, cut: cut });
      return notes.get(field);
    };
    var showCount = function (field) {
      var max = limitOf(field);
      if (!max) { return; }
      var used = field.value.length;
      // Once the text is shorter than the limit, what a paste left out is no news any more.
      if (used < max && notes.has(field)) { notes.get(field).cut.textContent = ""; }
      if (field.type === "password") { return; }
      if (used < max * 0.8 && !notes.has(field)) { return; }
      var count = noteOf(field).count;
      // Empty, not hidden: a description the box names is read even when hidden.
      count.textContent = used < max * 0.8 ? "" : say("data-count-message", used, max);
      count.classList.toggle("fw-semibold", used >= max);
    };
    document.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(showCount);
    document.addEventListener("input", function (event) { showCount(event.target); });
    // Made on focus, before any paste: a live region is heard only once it is in the page.
    document.addEventListener("focusin", function (event) {
      if (limitOf(event.target)) { noteOf(event.target); }
    });
    document.addEventListener("paste", function (event) {
      var field = event.target;
      var max = limitOf(field);
      if (!max || !event.clipboardData) { return; }
      // A text area keeps a line break as one character; a one-line box makes it a space.
      var pasted = event.clipboardData.getData("text/plain").replace(/\r\n?/g, "\n");
      var selected = 0;
      try {
        selected = (field.selectionEnd || 0) - (field.selectionStart || 0);
      } catch (error) { /* a box without a selection (e-mail): nothing replaced is known */ }
      var kept = field.value.length - selected;
      // Measured once the browser has pasted what fits.
      window.setTimeout(function () {
        var leftOut = pasted.length - (field.value.length - kept);
        noteOf(field).cut.textContent = leftOut > 0 && field.value.length >= max
          ? say("data-cut-message", leftOut, max) : "";
        showCount(field);
      }, 0);
    });
  }
  // A date box is drawn in the order of the browser's own language: 12/07/2026 in an English
  // browser is the 7th of December. Under the box, the date chosen as Vietnamese documents
  // write it, with its weekday in the page's language.
  var dateTexts = document.getElementById("date-texts");
  if (dateTexts) {
    var weekdays = null;
    try {
      weekdays = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
        { weekday: "long", timeZone: "UTC" });
    } catch (error) { /* an unknown language: the date alone */ }
    var chosenNotes = new WeakMap();
    var chosenMade = 0;
    var chosenOf = function (field) {
      if (chosenNotes.has(field)) { return chosenNotes.get(field); }
      var note = document.createElement("div");
      note.className = "form-text date-chosen";
      // The box's id names its note; a box without one gets a number of its own.
      chosenMade += 1;
      note.id = field.id ? field.id + "-chosen" : "date-chosen-" + chosenMade;
      noteUnder(field, note, [note.id]);
      chosenNotes.set(field, note);
      return note;
    };
    var showChosen = function (field) {
      if (!(field instanceof HTMLInputElement) || field.type !== "date") { return; }
      var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(field.value);
      if (!parts && !chosenNotes.has(field)) { return; }
      var text = "";
      if (parts) {
        var written = parts[3] + "/" + parts[2] + "/" + parts[1];
        if (weekdays) {
          var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
          written = weekdays.format(day) + ", " + written;
        }
        text = dateTexts.getAttribute("data-chosen").replace("{date}", written);
      }
      chosenOf(field).textContent = text;
    };
    document.querySelectorAll("input[type=date]").forEach(showChosen);
    document.addEventListener("input", function (event) { showChosen(event.target); });
    document.addEventListener("change", function (event) { showChosen(event.target); });
  }

  // A table wider than the screen scrolls inside its box: the box takes the keyboard's focus
  // then (arrow keys scroll it), named by the table's caption or the heading above it.
  function focusableWhenScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.hasAttribute("data-focus-set-by-page")) { return; }
      if (box.getAttribute("tabindex") !== null && !box.hasAttribute("data-scroll-focus")) {
        box.setAttribute("data-focus-set-by-page", "");
        return;
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("data-scroll-focus")) {
          var caption = box.querySelector("caption");
          var heading = caption ? null : box.closest("section, .card, main");
          heading = heading && heading.querySelector("h1, h2, h3, h4, h5, .card-header");
          var name = (caption || heading || {}).textContent || "";
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          if (name.trim()) { box.setAttribute("aria-label", name.trim()); }
          box.setAttribute("data-scroll-focus", "");
        }
      } else if (box.hasAttribute("data-scroll-focus")) {
        ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (attribute) {
          box.removeAttribute(attribute);
        });
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
  // The ballot receipts kept on this device (static/js/receipts.js): forget them all, or all
  // but those whose key starts with `keep` (the member signed in).
  window.forgetReceipts = function (keep) {
    try {
      var store = window.localStorage;
      var names = [];
      for (var i = 0; i < store.length; i++) {
        var name = store.key(i) || "";
        if (name.indexOf("recognition.receipt.") === 0 && !(keep && name.indexOf(keep) === 0)) {
          names.push(name);
        }
      }
      names.forEach(function (name) { store.removeItem(name); });
    } catch (error) { /* no storage: nothing kept */ }
  };
  // Logging out forgets them all.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-forget-receipts")) { window.forgetReceipts(); }
  });
  // A form marked data-unsaved="question" that was changed and not sent: sending another form
  // of the page would lose its changes (the page comes back as saved), so ask first.
  // Typing counts at once ("input"): a box still being typed in has not fired "change" when
  // the tab is closed; a choice or a chosen file fires "change".
  function markChanged(event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-unsaved")) { form.setAttribute("data-changed", ""); }
  }
  document.addEventListener("change", markChanged);
  document.addEventListener("input", markChanged);
  document.addEventListener("submit", function (event) {
    var pending = Array.prototype.filter.call(
      document.querySelectorAll("form[data-unsaved][data-changed]"),
      function (form) { return form !== event.target; }
    );
    if (pending.length && !window.confirm(pending[0].getAttribute("data-unsaved"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });
  // Leaving the page by a link, the address bar or closing it: the browser asks (in its own
  // words) whether to leave changes a data-unsaved form has not sent.
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-unsaved][data-changed]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Ask before a button with data-confirm sends its form.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter || event.target.querySelector("[data-confirm]");
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // The page is left by this form: what it sends is saved, or the person chose to leave the
    // unsaved changes of another (asked above), so leaving it asks nothing more.
    if (!event.defaultPrevented) {
      document.querySelectorAll("form[data-changed]").forEach(function (form) {
        form.removeAttribute("data-changed");
      });
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
  // A select marked data-options-follow="<id>" offers only the options whose data-campaigns
  // name the value chosen in the select <id> (the titles a chosen campaign offers).
  document.querySelectorAll("select[data-options-follow]").forEach(function (select) {
    var leader = document.getElementById(select.getAttribute("data-options-follow"));
    if (!leader) { return; }
    // The option chosen (by the page or the user) comes back when it is offered again.
    var preferred = select.value;
    select.addEventListener("change", function () { preferred = select.value; });
    function follow() {
      var firstShown = null;
      var again = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var names = (option.getAttribute("data-campaigns") || "").split(" ");
        var shown = names.indexOf(leader.value) !== -1;
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && firstShown === null) { firstShown = option; }
        if (shown && option.value === preferred) { again = option; }
      });
      var chosen = select.options[select.selectedIndex];
      if (again) { again.selected = true; }
      else if ((!chosen || chosen.disabled) && firstShown) { firstShown.selected = true; }
    }
    leader.addEventListener("change", follow);
    follow();
  });
})();
