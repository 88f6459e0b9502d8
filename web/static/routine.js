// The routine page: steps seek the player to their start and the step playing is
// highlighted; the follow-along panel shows the step, its side, the work time left in it
// (from the cue sheet, to the second) and what comes next, with big controls; the phone's
// lock screen and headset name the step and move by step (Media Session); the screen stays
// on while it plays (Screen Wake Lock); the place is remembered on this device, and the
// page offers to continue from the start of that step.
(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var problem = document.getElementById("player-problem");
  var follow = document.getElementById("follow");
  var steps = Array.prototype.slice.call(document.querySelectorAll("#steps .step"));
  var chapters = steps.map(function (step) {
    return {
      start: parseInt(step.dataset.start, 10), end: parseInt(step.dataset.end, 10),
      workStart: parseInt(step.dataset.workStart, 10),
      workEnd: parseInt(step.dataset.workEnd, 10),
      title: step.dataset.title, name: step.dataset.name, side: step.dataset.side
    };
  });
  var shown = -1;
  var wakeLock = null;

  function tell(message) {
    problem.textContent = message;
    problem.hidden = false;
  }

  var UNLOADABLE = "The track could not be loaded: check the connection and try again. To " +
    "play it with no signal, save it for offline (or download it) while connected.";

  // Play; `refused` (optional) runs instead of the message when the browser will not start
  // it without a tap of its own (NotAllowedError).
  function play(refused) {
    var playing = audio.play();
    if (playing && playing.catch) {
      playing.catch(function (error) {
        var name = error && error.name;
        if (name === "AbortError") { return; }   // a pause or a new source came first: fine
        if (name === "NotAllowedError" && refused) { refused(); return; }
        tell(name === "NotAllowedError" ? "The browser would not start it: press play."
          : UNLOADABLE);
      });
    }
  }

  function seekTo(index) {
    var chapter = chapters[Math.max(0, Math.min(index, chapters.length - 1))];
    audio.currentTime = chapter.start / 1000;
    highlight();
  }

  // Chromium reads a seek back a hair short (263.114 s as 263.113998): within SLACK_MS of
  // a chapter's start is that chapter, or Next would seek to the same start for ever.
  var SLACK_MS = 5;

  function currentIndex() {
    var now = audio.currentTime * 1000 + SLACK_MS;
    for (var i = chapters.length - 1; i >= 0; i--) {
      if (now >= chapters[i].start) { return i; }
    }
    return 0;
  }

  // A time as m:ss: time left rounds up (a second shows until it is over), a start time
  // down (as the list of steps shows it).
  function clock(ms, down) {
    var seconds = Math.max(0, down ? Math.floor(ms / 1000) : Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // Work left in this step: the whole work time until its start tone, then what remains.
  function workLeft(chapter) {
    var now = audio.currentTime * 1000 + SLACK_MS;
    return chapter.workEnd - Math.max(now, chapter.workStart);
  }

  function showChapter(index) {
    var chapter = chapters[index];
    var following = chapters[index + 1];
    document.getElementById("now-title").textContent = chapter.name;   // the side below
    document.getElementById("now-side").textContent = chapter.side
      ? chapter.side.charAt(0).toUpperCase() + chapter.side.slice(1) + " side" : "";
    document.getElementById("up-next").textContent =
      following ? "Next: " + following.title : "Last part of the routine";
    var timed = chapter.workEnd > chapter.workStart;
    // Not hidden but kept in place (class idle): the buttons below stay where they are.
    document.getElementById("countdown").classList.toggle("idle", !timed);
    document.getElementById("countdown-label").classList.toggle("idle", !timed);
    if (timed) {
      document.getElementById("countdown-label").textContent =
        chapter.side || chapter.workStart > chapter.start ? "of work left in this step"
          : "left in this step";
    }
    steps.forEach(function (step, i) {
      step.classList.toggle("current", i === index);
      if (i === index) { step.setAttribute("aria-current", "step"); }
      else { step.removeAttribute("aria-current"); }
    });
    if ("mediaSession" in navigator && window.MediaMetadata) {
      navigator.mediaSession.metadata = new MediaMetadata({
        title: chapter.title, artist: "Mat Coach", album: follow.dataset.routine,
        artwork: [{src: follow.dataset.artwork, sizes: "512x512", type: "image/png"}]
      });
    }
  }

  function highlight() {
    var index = currentIndex();
    if (index !== shown) {
      shown = index;
      showChapter(index);
    }
    document.getElementById("countdown").textContent = clock(workLeft(chapters[index]));
  }

  function showPlaying() {
    var button = document.getElementById("play-pause");
    // An SVG element has no `hidden` property: the attribute itself is what hides it.
    button.querySelector(".icon-play").toggleAttribute("hidden", !audio.paused);
    button.querySelector(".icon-pause").toggleAttribute("hidden", audio.paused);
    button.setAttribute("aria-label", audio.paused ? "Play" : "Pause");
  }

  // The screen stays on while it plays; the lock goes on pause and end, and is asked for
  // again when the page is shown again (the browser releases it when the page is hidden).
  var asking = false;

  function holdScreen() {
    if (!("wakeLock" in navigator) || wakeLock || asking || audio.paused) { return; }
    asking = true;   // one request at a time: a quick play-pause-play asks once
    navigator.wakeLock.request("screen").then(function (lock) {
      asking = false;
      wakeLock = lock;
      document.body.dataset.wakeLock = "held";
      lock.addEventListener("release", function () {
        wakeLock = null;
        document.body.dataset.wakeLock = "released";
      });
      if (audio.paused) { lock.release(); }   // paused while the lock was being granted
    }).catch(function () {
      asking = false;
      document.body.dataset.wakeLock = "refused";
    });
  }

  function letScreenSleep() {
    if (wakeLock) { wakeLock.release(); }
  }

  // One set of actions for the page's buttons, the lock screen and a headset. No seek
  // handlers: with them iOS shows +-10 s in place of next and previous.
  var actions = {
    play: play,
    pause: function () { audio.pause(); },
    nexttrack: function () {   // in the last step there is no next: it plays on
      if (currentIndex() < chapters.length - 1) { seekTo(currentIndex() + 1); }
    },
    previoustrack: function () { seekTo(currentIndex() - 1); }
  };
  window.matCoachActions = actions;   // what the lock screen calls, for the browser tests

  steps.forEach(function (step, index) {
    step.addEventListener("click", function () {
      seekTo(index);
      play();
      // The list is below the view: bring the step, its countdown and buttons into sight
      // (focus stays on the step chosen, for the keyboard).
      if (follow.getBoundingClientRect().top < 0) {
        follow.scrollIntoView({ block: "start", behavior: "smooth" });
      }
    });
  });
  document.getElementById("play-pause").addEventListener("click", function () {
    if (audio.paused) { actions.play(); } else { actions.pause(); }
  });
  document.getElementById("next-step").addEventListener("click", actions.nexttrack);
  document.getElementById("back-step").addEventListener("click", actions.previoustrack);
  if ("mediaSession" in navigator) {
    Object.keys(actions).forEach(function (name) {
      try { navigator.mediaSession.setActionHandler(name, actions[name]); }
      catch (unsupported) { /* an older browser without this action */ }
    });
  }

  // The place in this routine, on this device only (nothing leaves the phone): the step,
  // by its index in this build or its title in another.
  var placeKey = "matcoach.place." + follow.dataset.id;
  var remembered = -1;   // the step last written: storage is written when it changes only

  function remember() {
    var index = currentIndex();
    if (index === remembered || audio.currentTime <= 0) { return; }
    remembered = index;
    try {
      // Played to the end, or into its last words ("Finish"): nothing to continue.
      if (audio.ended || index === chapters.length - 1) {
        localStorage.removeItem(placeKey);
      } else {
        localStorage.setItem(placeKey, JSON.stringify({
          build: follow.dataset.build, step: index, title: chapters[index].title}));
      }
    } catch (unavailable) { /* private mode or storage full: nothing to remember */ }
  }

  function savedStep() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(placeKey) || "null"); }
    catch (unreadable) { return -1; }
    if (!saved || typeof saved !== "object") { return -1; }
    var step = Number.isInteger(saved.step) ? saved.step : -1;
    if (saved.build === follow.dataset.build && step >= 0 && step < chapters.length &&
        chapters[step].title === saved.title) {
      return step > 0 ? step : -1;   // the introduction is the beginning anyway
    }
    // Another build: the chapter of that title nearest where it was ("Rest" repeats).
    var best = -1;
    chapters.forEach(function (chapter, i) {
      if (chapter.title === saved.title &&
          (best < 0 || Math.abs(i - step) < Math.abs(best - step))) { best = i; }
    });
    return best > 0 ? best : -1;
  }

  function offerToContinue() {
    var index = savedStep();
    if (index < 0) { return; }
    var box = document.getElementById("resume");
    document.getElementById("resume-text").textContent =
      "Continue from " + chapters[index].title + " (" + clock(chapters[index].start, true) +
      ")?";
    box.hidden = false;
    document.getElementById("resume-yes").addEventListener("click", function () {
      box.hidden = true;
      seekTo(index);
      play();
    });
    document.getElementById("resume-no").addEventListener("click", function () {
      box.hidden = true;
      remembered = -1;
      try { localStorage.removeItem(placeKey); } catch (unavailable) { /* nothing kept */ }
    });
  }

  audio.addEventListener("timeupdate", remember);
  audio.addEventListener("ended", remember);
  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);
  audio.addEventListener("play", function () {
    document.getElementById("resume").hidden = true;   // they chose by pressing play
    showPlaying();
    holdScreen();
  });
  audio.addEventListener("pause", function () { showPlaying(); letScreenSleep(); });
  audio.addEventListener("ended", function () { showPlaying(); letScreenSleep(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { holdScreen(); }
  });
  // Saved for offline, or removed, while this page is open: Chromium does not mix bytes it
  // read from the network with those the service worker answers from the saved copy (it
  // stopped a few seconds in with a read error, even after load(): its media cache is
  // kept by address), so the audio loads afresh, under an address of its own (the server
  // and the service worker ignore the query), at the same place.
  document.addEventListener("matcoach:source-changed", function () {
    var at = audio.currentTime, playing = !audio.paused;
    audio.src = audio.src.split("?")[0] + "?source=" + Date.now();
    audio.addEventListener("loadedmetadata", function () {
      audio.currentTime = at;
      if (playing) { play(); }
    }, {once: true});
  });

  function notLoaded() {
    tell(UNLOADABLE);
  }
  audio.addEventListener("error", notLoaded);
  // A track that failed before this script ran (a quick 404) fired its error unheard.
  if (audio.error) { notLoaded(); }
  // The library's play button is a link to this page with ?play=1, not a player of its
  // own: it works without a script (the person lands here and presses play), the page is
  // the follow-along view they need on the mat, and one player per page keeps the lock
  // screen, wake lock and remembered place in one place. The browser may refuse to start
  // without a tap on this page (iOS Safari does not carry the library's tap across the
  // navigation): then the big play button waits, focused, with a hint. The flag leaves the
  // address at once, so that a reload or a bookmark does not start playing again. (The
  // view is scrolled to here, not by a #follow in the link: Chromium clears the focus
  // when it scrolls to a fragment, after this has run.)
  function playOnArrival() {
    var query = new URLSearchParams(location.search);
    if (query.get("play") !== "1") { return; }
    query.delete("play");
    var rest = query.toString();
    history.replaceState(history.state, "",
      location.pathname + (rest ? "?" + rest : "") + location.hash);
    follow.scrollIntoView({ block: "start" });
    var resume = document.getElementById("resume");
    if (!resume.hidden) {   // a place remembered: continue or start over is theirs to say
      resume.scrollIntoView({ block: "start" });
      document.getElementById("resume-yes").focus({ preventScroll: true });
      return;
    }
    var hint = document.getElementById("play-hint");
    var button = document.getElementById("play-pause");
    play(function () {
      hint.textContent = "Tap play to start.";
      hint.hidden = false;
      button.setAttribute("aria-describedby", "play-hint");
      button.focus();
      audio.addEventListener("play", function () {
        hint.hidden = true;
        button.removeAttribute("aria-describedby");
      }, { once: true });
    });
  }

  highlight();
  showPlaying();
  offerToContinue();
  playOnArrival();
})();
