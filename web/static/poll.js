// Asks the server how the background builder is doing, every few seconds, for as long as the
// page says something is still being prepared. Slower while the tab is hidden (nobody is
// looking) and after a failed request (the server may be restarting); at once when the tab
// is shown again.
window.pollBuildStatus = function (url, handle) {
  "use strict";
  var EVERY_MS = 3000, HIDDEN_MS = 30000, MOST_MS = 60000;
  var timer = null, busy = false, failures = 0, stopped = false;

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  function next(more) {
    if (more) { later(document.hidden ? HIDDEN_MS : EVERY_MS); } else { stopped = true; }
  }

  // `handle(status)` updates the page and returns (or resolves to) whether to keep asking.
  // Its own errors are not caught here: they are bugs, and should show as such.
  function poll() {
    if (busy || stopped) { return; }
    busy = true;
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (reply) {
        if (!reply.ok) { throw new Error("build status: HTTP " + reply.status); }
        return reply.json();
      })
      .then(function (status) {
        failures = 0;
        return Promise.resolve(handle(status)).then(function (more) {
          busy = false;
          next(more);
        });
      }, function () {
        busy = false;
        failures += 1;
        later(Math.min(MOST_MS, EVERY_MS * Math.pow(2, failures)));
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped) { later(0); }
  });
  later(EVERY_MS);
};
