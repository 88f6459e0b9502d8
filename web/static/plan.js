// A plan's page: while its track is being built, ask how it is going every two seconds
// and say so; once it is ready, the player plays it (a session of the old version already
// playing carries on: its audio is only replaced while paused).
"use strict";

(() => {
  const box = document.getElementById("plan-track");
  if (!box) { return; }
  const status = document.getElementById("track-status");
  const audio = document.getElementById("track-audio");
  const older = document.getElementById("track-older");
  const POLL_MS = 2000;

  function words(track) {
    if (track.state === "ready") { return "Ready: listen to it as your client will hear it."; }
    if (track.state === "building") { return `Building the track… ${track.percent} %`; }
    if (track.state === "failed") { return `This version could not be built: ${track.why}`; }
    return "Waiting for the builder to start on it.";
  }

  async function look() {
    let track;
    try {
      const reply = await fetch(box.dataset.poll, {cache: "no-store"});
      if (!reply.ok) { throw new Error(String(reply.status)); }
      track = await reply.json();
    } catch (error) {
      setTimeout(look, POLL_MS * 2);   // the server may be restarting; keep asking
      return;
    }
    const said = words(track);
    if (status.textContent !== said) { status.textContent = said; }
    box.dataset.state = track.state;
    if (track.audio && audio.getAttribute("src") !== track.audio && audio.paused) {
      audio.src = track.audio;
      audio.hidden = false;
    }
    older.hidden = !track.audio || Boolean(track.audio_is_latest);
    if (track.state === "waiting" || track.state === "building") { setTimeout(look, POLL_MS); }
  }

  if (box.dataset.state === "waiting" || box.dataset.state === "building") { setTimeout(look, POLL_MS); }
})();
