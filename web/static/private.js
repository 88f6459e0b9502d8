// A plan's private page: each step's button plays the track from that step.
"use strict";

(() => {
  const audio = document.getElementById("plan-audio");
  if (!audio) { return; }
  document.querySelectorAll(".step[data-start]").forEach((button) => {
    button.addEventListener("click", () => {
      audio.currentTime = Number(button.dataset.start) / 1000;
      audio.play().catch(() => {});   // a browser that wants a tap on the player first
    });
  });
})();
