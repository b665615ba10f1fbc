// recognition — the new-dossier form shows only the nominee section the chosen title needs.
// Without this script both sections are shown, each labelled; the server keeps only the part
// the title is for.
(function () {
  "use strict";
  var select = document.querySelector("select[data-collective-awards]");
  if (!select) { return; }
  var collective = select.getAttribute("data-collective-awards").split(" ").filter(Boolean);
  var sections = document.querySelectorAll("fieldset[data-nominee-section]");
  function update() {
    var chosen = select.value;
    var kind = chosen === "" ? "" : (collective.indexOf(chosen) >= 0 ? "collective" : "person");
    sections.forEach(function (section) {
      var hide = kind !== "" && section.getAttribute("data-nominee-section") !== kind;
      section.hidden = hide;
      section.disabled = hide;
    });
  }
  select.addEventListener("change", update);
  update();
})();
