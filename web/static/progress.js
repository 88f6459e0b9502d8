// A plan's private page: what its client plays is recorded for their progress page
// (web/progress.py). The first play starts a session; then, every 30 s while it plays, on
// pause, on a seek, at the end and when the page is left, it reports how much was heard
// and the steps done. Only stretches played through count: a seek ahead adds no time,
// and a step is done when the end tone of each of its chapters (each side) was played
// through, not jumped past. Nothing here changes the player (routine.js runs it).
"use strict";

(() => {
  const block = document.getElementById("progress-pings");
  const audio = document.getElementById("audio");
  if (!block || !audio) { return; }
  const page = JSON.parse(block.textContent);   // url, fresh, csrf, build, ends: [[step, ms]]
  const EVERY_MS = 30000;
  // Media time may run a little ahead of the wall clock between two samples; a jump
  // further than the clock allows is a seek, whether or not its event has come yet.
  const SLACK_MS = 1500;
  let csrf = page.csrf;
  let session = null;    // the id the server gave, once it has
  let starting = null;   // the start request on its way
  let playedMs = 0;
  let finished = false;
  const crossed = new Set();   // indices into page.ends whose end tone was played through
  let last = null;       // {at, wall} in ms: the last sample while playing through

  // What was played through since the last sample (none across a seek or a pause).
  function sample() {
    const at = audio.currentTime * 1000;
    const wall = performance.now();
    if (last && !audio.seeking) {
      const heard = at - last.at;
      const possible = (wall - last.wall) * Math.max(1, audio.playbackRate) + SLACK_MS;
      if (heard > 0 && heard <= possible) {
        playedMs += heard;
        page.ends.forEach(([, end], i) => {
          if (last.at < end && end <= at) { crossed.add(i); }
        });
      }
    }
    last = audio.paused || audio.seeking || audio.ended ? null : {at, wall};
  }

  function stepsDone() {
    const whole = new Map();   // step -> every chapter of it crossed so far
    page.ends.forEach(([step], i) => {
      whole.set(step, whole.get(step) !== false && crossed.has(i));
    });
    return [...whole].filter(([, done]) => done).map(([step]) => step);
  }

  function forget() {   // a new session from here: played again after the end, or deleted
    session = null;
    playedMs = 0;
    finished = false;
    crossed.clear();
  }

  async function post(body, keepalive, again = true) {
    const reply = await fetch(page.url, {
      method: "POST", keepalive, body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}});
    // A page open longer than its form token (hours on a phone): a fresh one, once.
    if (reply.status === 400 && again && !keepalive) {
      const said = await reply.clone().json().catch(() => ({}));
      if (said.error === "form-expired" && await freshToken()) {
        return post(body, keepalive, false);
      }
    }
    return reply;
  }

  async function freshToken() {
    try {
      const reply = await fetch(page.fresh, {cache: "no-store"});
      if (!reply.ok) { return false; }
      csrf = (await reply.json()).token;
      return true;
    } catch (offline) {
      return false;
    }
  }

  function start() {
    starting = post({build: page.build}, false)
      .then((reply) => (reply.status === 201 ? reply.json() : null))
      .then((said) => { session = said ? said.session : null; })
      .catch(() => { /* offline: the next play asks again, with all heard until then */ })
      .finally(() => { starting = null; });
  }

  function report(keepalive) {
    sample();
    if (starting && !keepalive) {
      starting.then(() => report(false));
      return;
    }
    if (session === null) { return; }
    const body = {session, played_ms: Math.round(playedMs), steps: stepsDone(), finished};
    post(body, keepalive).then((reply) => {
      if (reply.status === 404) { forget(); }   // its history was deleted meanwhile
    }).catch(() => { /* offline: the next report carries it (played_ms only grows) */ });
  }

  audio.addEventListener("play", () => {
    if (finished) { forget(); }
    sample();
    if (session === null && !starting) { start(); }
  });
  audio.addEventListener("timeupdate", sample);
  audio.addEventListener("seeked", sample);
  audio.addEventListener("seeking", () => report(false));
  audio.addEventListener("pause", () => report(false));
  audio.addEventListener("ended", () => {
    finished = true;
    report(false);
  });
  setInterval(() => { if (!audio.paused) { report(false); } }, EVERY_MS);
  // Leaving, or a phone's screen turned off (then the page may never run again): sent
  // even as the page goes (keepalive).
  window.addEventListener("pagehide", () => report(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") { report(true); }
  });
})();
