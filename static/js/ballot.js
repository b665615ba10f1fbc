// The ballot's confirmation and receipt are answers to POSTs: the choice never travels in an
// address (docs/secret-ballot.md). Once shown, the page's entry in the browser's history is
// made a plain one at the same address, so that Back or reload asks for the ballot again (a
// GET: after the cast, it says the vote was cast) instead of showing the browser's "Confirm
// Form Resubmission" page, which would send the step again.
(function () {
  "use strict";
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.href);
  }
})();
