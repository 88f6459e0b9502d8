// Offline, on every page: registers the service worker (sw.js), marks the library's cards
// of routines saved on this device, and runs the routine page's "Save for offline".
//
// A saved routine is a set of entries in the "matcoach-saved" cache: its page, cue sheet
// (chapters.json), transcript and the MP3 of one build, fetched whole (the Cache API keeps
// no 206 replies; sw.js answers ranges from the whole file). Nothing leaves the phone.
// Service workers need a secure context (https, or localhost): elsewhere the page still
// plays and follows, and says why it cannot save.
(function () {
  "use strict";
  var SAVED = "matcoach-saved";
  var AUDIO = /^\/audio\/([^/]+)\/([a-z0-9-]+)\.mp3$/;
  var able = window.isSecureContext && "serviceWorker" in navigator && "caches" in window;

  if (able) {
    navigator.serviceWorker.register("/sw.js").catch(function () {
      /* refused (a private window, say): pages still work, online only */
    });
  }

  // {routine id: build} of every routine saved on this device.
  function savedBuilds() {
    if (!able) { return Promise.resolve({}); }
    return caches.open(SAVED).then(function (cache) { return cache.keys(); })
      .then(function (requests) {
        var builds = {};
        requests.forEach(function (request) {
          var match = AUDIO.exec(new URL(request.url).pathname);
          if (match) { builds[match[2]] = match[1]; }
        });
        return builds;
      });
  }

  function markCards() {
    var cards = document.querySelectorAll(".card[data-id]");
    if (!cards.length) { return; }
    savedBuilds().then(function (builds) {
      Array.prototype.forEach.call(cards, function (card) {
        var badge = card.querySelector(".saved");
        if (!(card.dataset.id in builds)) { if (badge) { badge.remove(); } return; }
        if (badge) { return; }
        badge = document.createElement("p");
        badge.className = "saved";
        badge.textContent = "Saved on this device";
        card.appendChild(badge);
      });
    });
  }

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1) + " MB";
  }

  // The routine page's panel: save, remove, and what is saved now.
  function savePanel(panel) {
    var save = document.getElementById("save-offline");
    var remove = document.getElementById("remove-offline");
    var status = document.getElementById("offline-status");
    var id = panel.dataset.id, build = panel.dataset.build, mp3 = panel.dataset.audio;
    var others = panel.dataset.keep.split(" ");
    panel.hidden = false;
    if (!able) {
      save.hidden = true;
      status.textContent = "Saving for offline needs a secure connection (an https " +
        "address, or localhost on this computer). It plays and follows here as it is.";
      return;
    }

    function show(text, saved) {
      status.textContent = text;
      save.hidden = saved;
      remove.hidden = !saved;
      save.disabled = false;
    }

    function refresh() {
      return savedBuilds().then(function (builds) {
        if (builds[id] === build) {
          show("Saved on this device: it plays with no signal.", true);
        } else if (builds[id]) {
          save.textContent = "Save the new recording";
          show("The copy saved on this device is an older recording.", false);
        } else {
          show("", false);
        }
      });
    }

    // Every entry of this routine: its page, cue sheet, transcript and any build's MP3.
    function forget(cache, keepBuild) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (request) {
          var path = new URL(request.url).pathname;
          var match = AUDIO.exec(path);
          if (match) { return match[2] === id && match[1] !== keepBuild; }
          return !keepBuild && others.indexOf(path) >= 0;
        }).map(function (request) { return cache.delete(request); }));
      });
    }

    // The MP3 whole (no Range header: fetch sends none), its progress shown as it comes.
    function fetchWhole() {
      return fetch(mp3, {cache: "no-store"}).then(function (reply) {
        if (reply.status !== 200) { throw new Error("HTTP " + reply.status); }
        var total = Number(reply.headers.get("Content-Length")) || 0;
        if (!total || !reply.body || !reply.body.getReader) { return reply; }
        var reader = reply.clone().body.getReader(), got = 0;
        (function read() {
          reader.read().then(function (part) {
            if (part.done) { return; }
            got += part.value.length;
            status.textContent = "Saving… " + Math.floor(100 * got / total) + " %";
            read();
          }, function () { /* the copy being stored reports the failure */ });
        })();
        return reply;
      });
    }

    save.addEventListener("click", function () {
      save.disabled = true;
      status.textContent = "Saving…";
      var cache;
      caches.open(SAVED).then(function (opened) {
        cache = opened;
        return Promise.all([fetchWhole()].concat(others.map(function (path) {
          return fetch(path, {cache: "no-store"});
        })));
      }).then(function (replies) {
        replies.forEach(function (reply) {
          if (!reply.ok) { throw new Error("HTTP " + reply.status); }
        });
        // The MP3 first: if it fails, an older saved copy and its page stay as they were.
        return cache.put(mp3, replies[0]).then(function () {
          return Promise.all(others.map(function (path, i) {
            return cache.put(path, replies[i + 1]);
          }));
        });
      }).then(function () {
        return forget(cache, build);   // older recordings of it go
      }).then(function () {
        // Asks the browser not to clear it when space runs low (it may still ask the person).
        if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
        return cache.match(mp3).then(function (reply) { return reply.blob(); });
      }).then(function (blob) {
        return refresh().then(function () {
          status.textContent = "Saved on this device (" + megabytes(blob.size) +
            "): it plays with no signal.";
          markCards();
        });
      }).catch(function (error) {
        var full = error && error.name === "QuotaExceededError";
        if (cache) { cache.delete(mp3); }   // nothing half saved
        show(full ? "There is not enough space on this device to save it."
          : "It could not be saved: saving needs a connection. Try again when online.", false);
      });
    });

    remove.addEventListener("click", function () {
      caches.open(SAVED).then(function (cache) { return forget(cache, null); })
        .then(refresh).then(function () {
          status.textContent = "Removed from this device.";
          save.focus();
        });
    });
    refresh();
  }

  window.matCoachSaved = savedBuilds;   // for the browser tests
  markCards();
  var panel = document.getElementById("offline");
  if (panel) { savePanel(panel); }
})();
