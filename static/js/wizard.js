// The wizard's live recommendation: screen readers hear when the leading option changes
// (the summary bar's data-leader, swapped in by each save), not on every save.
(function () {
  "use strict";
  let leader = null;

  function bar() {
    return document.getElementById("rec-bar");
  }

  document.addEventListener("DOMContentLoaded", function () {
    leader = bar() ? bar().dataset.leader : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    const current = bar();
    if (!current || current.dataset.leader === leader) return;
    leader = current.dataset.leader;
    const live = document.getElementById("rec-announce");
    const text = current.querySelector(".rec-bar-text");
    if (live && text) live.textContent = live.dataset.prefix + " " + text.textContent.trim();
  });
})();
