// A routine being prepared: keeps its wait current, and reloads the page once when the
// routine's state changes (ready: the player appears; failed, or no longer in the library:
// the page says so).
(function () {
  "use strict";
  var box = document.getElementById("readiness");
  var wait = box.querySelector(".wait");
  document.getElementById("reload").hidden = true;   // this page reloads by itself

  window.pollBuildStatus(box.dataset.statusUrl, function (status) {
    var routine = status.routines[box.dataset.id];
    if (!routine || routine.state !== box.dataset.state) {
      location.reload();
      return false;
    }
    if (wait && routine.wait && wait.textContent !== routine.wait) {
      wait.textContent = routine.wait;
    }
    return true;
  });
})();
