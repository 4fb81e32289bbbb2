/* chibo: "all present" on the attendance page (no framework).
 *
 * The button taps "present" for every member of the main list who is not marked yet, one after the
 * other, through each row's own form: the same POST, the same HTMX swap and validity box, and the
 * same offline queue (meetings/attendance.js) as a tap by hand. The secretary then marks the
 * exceptions. Without JavaScript the button stays hidden and each row works on its own.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-att-all]");
  var list = document.querySelector("[data-att-main]");
  if (!box || !list) return;
  var button = box.querySelector("button");

  function unmarked() {
    return Array.prototype.filter.call(list.querySelectorAll(".att-row"), function (row) {
      return !/\batt-(present|excused|unexcused)\b/.test(row.className) && row.querySelector("form [value=present]");
    });
  }
  function refresh() {
    var n = unmarked().length;
    box.hidden = n === 0;
  }
  /* One tap; resolves when HTMX has swapped the row (or failed, or after a few seconds). */
  function tap(row) {
    return new Promise(function (resolve) {
      var done = false;
      function finish() {
        if (done) return;
        done = true;
        document.body.removeEventListener("htmx:afterSettle", onSettle);
        document.body.removeEventListener("htmx:sendError", finish);
        document.body.removeEventListener("htmx:responseError", finish);
        resolve();
      }
      function onSettle() {
        if (!document.body.contains(row)) finish();
      }
      document.body.addEventListener("htmx:afterSettle", onSettle);
      document.body.addEventListener("htmx:sendError", finish);
      document.body.addEventListener("htmx:responseError", finish);
      setTimeout(finish, 8000);
      row.querySelector("form [value=present]").click(); /* a click, so HTMX sends the button's value */
      if (navigator.onLine === false) finish(); /* queued offline at once, nothing to wait for */
    });
  }
  button.addEventListener("click", function () {
    var rows = unmarked();
    button.disabled = true;
    rows.reduce(function (chain, row) {
      return chain.then(function () { return tap(row); });
    }, Promise.resolve()).then(function () {
      button.disabled = false;
      refresh();
    });
  });
  document.body.addEventListener("htmx:afterSettle", refresh);
  refresh();
})();
