// Ballot receipts (docs/secret-ballot.md): kept on the member's own device only, never sent,
// under the member's own name (recognition.receipt.<user>.<session>.<item>). A device shared
// by several members keeps nothing of one for the next: logging out forgets the receipts
// (static/js/app.js), and these pages forget those of anyone but the member signed in.
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (error) { return; }
  if (!store) { return; }
  var prefix = "recognition.receipt.";
  var owner = document.querySelector("[data-receipt-user]");
  if (!owner) { return; }
  var mine = prefix + owner.getAttribute("data-receipt-user") + ".";
  if (window.forgetReceipts) { window.forgetReceipts(mine); }  // anyone else's (static/js/app.js)
  // The receipt page: remember the receipt of this item.
  document.querySelectorAll("[data-receipt]").forEach(function (card) {
    var key = mine + card.getAttribute("data-receipt-session") + "." + card.getAttribute("data-receipt-item");
    try { store.setItem(key, card.getAttribute("data-receipt-tracker")); } catch (error) { /* full or private */ }
  });
  // The closed session: mark the member's own ballot in each list of counted ballots.
  var page = document.querySelector("[data-session-id]");
  if (!page) { return; }
  var session = page.getAttribute("data-session-id");
  document.querySelectorAll("[data-counted-item]").forEach(function (list) {
    var tracker = store.getItem(mine + session + "." + list.getAttribute("data-counted-item"));
    if (!tracker) { return; }
    list.querySelectorAll("tr[data-tracker]").forEach(function (row) {
      if (row.getAttribute("data-tracker") === tracker) {
        row.classList.add("table-success", "fw-bold");
        row.setAttribute("data-mine", "");
        var cell = row.querySelector("td");
        var badge = document.createElement("span");
        badge.className = "badge text-bg-success ms-2";
        badge.textContent = list.getAttribute("data-mine-label");
        cell.appendChild(badge);
        list.open = true;
      }
    });
  });
})();
