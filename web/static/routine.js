// Steps seek the player to their start; the step playing now is highlighted.
(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var problem = document.getElementById("player-problem");
  var steps = Array.prototype.slice.call(document.querySelectorAll("#steps .step"));

  function tell(message) {
    problem.textContent = message;
    problem.hidden = false;
  }

  steps.forEach(function (step) {
    step.addEventListener("click", function () {
      audio.currentTime = parseInt(step.dataset.start, 10) / 1000;
      var playing = audio.play();
      if (playing && playing.catch) {
        playing.catch(function () { tell("The track could not start. Press play on the player."); });
      }
    });
  });

  function highlight() {
    var now = audio.currentTime * 1000;
    steps.forEach(function (step) {
      var current = now >= parseInt(step.dataset.start, 10) && now < parseInt(step.dataset.end, 10);
      step.classList.toggle("current", current);
      if (current) { step.setAttribute("aria-current", "step"); }
      else { step.removeAttribute("aria-current"); }
    });
  }

  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);
  audio.addEventListener("error", function () {
    tell("The track could not be loaded. Try again, or download it below.");
  });
})();
