// Offline, on every page: registers the service worker (sw.js), marks the library's cards
// of routines saved on this device (and lists saved routines the library no longer has, to
// remove them), and runs the routine page's "Save for offline".
//
// A saved routine is one cache, "matcoach-saved/<id>/<build>", holding its page, cue sheet
// (chapters.json), transcript and the MP3 of that one build, fetched whole (the Cache API
// keeps no 206 replies; sw.js answers ranges from the whole file). A save is all or
// nothing: everything is fetched and checked to be of one build before the cache is
// written, and the copy saved before goes only once the new one is complete. Nothing
// leaves the phone. Service workers need a secure context (https, or localhost): elsewhere
// the page still plays and follows, and says why it cannot save.
(function () {
  "use strict";
  var PREFIX = "matcoach-saved/";
  var able = window.isSecureContext && "serviceWorker" in navigator && "caches" in window;

  if (able) {
    navigator.serviceWorker.register("/sw.js").catch(function () {
      /* refused (a private window, say): pages still work, online only */
    });
  }

  // [{id, build, name}] of every copy saved on this device.
  function savedCopies() {
    if (!able) { return Promise.resolve([]); }
    return caches.keys().then(function (names) {
      return names.filter(function (name) { return name.indexOf(PREFIX) === 0; })
        .map(function (name) {
          var parts = name.slice(PREFIX.length).split("/");
          return {id: parts[0], build: parts[1], name: name};
        });
    });
  }

  // {routine id: build} of the routines saved on this device (no inherited keys: an id
  // such as "constructor" is only there if it was saved).
  function savedBuilds() {
    return savedCopies().then(function (copies) {
      var builds = Object.create(null);
      copies.forEach(function (copy) { builds[copy.id] = copy.build; });
      return builds;
    });
  }

  function forget(id, keepBuild) {
    return savedCopies().then(function (copies) {
      return Promise.all(copies.filter(function (copy) {
        return copy.id === id && copy.build !== keepBuild;
      }).map(function (copy) { return caches.delete(copy.name); }));
    });
  }

  // --- The library: a mark on each saved routine's card --------------------------------

  function markCards(list) {
    savedBuilds().then(function (builds) {
      Array.prototype.forEach.call(list.querySelectorAll(".card[data-id]"), function (card) {
        var badge = card.querySelector(".saved");
        if (!(card.dataset.id in builds)) { if (badge) { badge.remove(); } return; }
        if (badge) { return; }
        badge = document.createElement("p");
        badge.className = "saved";
        badge.textContent = "Saved on this device";
        card.appendChild(badge);
      });
      listOrphans(list, builds);
    });
  }

  // Saved routines the library no longer has: named (from the saved page) with a button to
  // remove them, since no card or page of theirs offers it any more.
  function listOrphans(list, builds) {
    var known = {};
    Array.prototype.forEach.call(list.querySelectorAll(".card[data-id]"), function (card) {
      known[card.dataset.id] = true;
    });
    var gone = Object.keys(builds).filter(function (id) { return !known[id]; });
    var section = document.getElementById("saved-elsewhere");
    if (!gone.length) { if (section) { section.remove(); } return; }
    if (!section) {
      section = document.createElement("section");
      section.id = "saved-elsewhere";
      section.setAttribute("aria-labelledby", "saved-elsewhere-heading");
      section.innerHTML = '<h2 id="saved-elsewhere-heading">Saved on this device, no ' +
        'longer in the library</h2><ul class="orphans"></ul>';
      list.parentNode.insertBefore(section, list.nextSibling);
    }
    var items = section.querySelector("ul");
    items.textContent = "";
    gone.forEach(function (id) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = id;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + id + " from this device");
      titleOf(id, builds[id]).then(function (title) {
        if (!title) { return; }
        name.textContent = title;
        remove.setAttribute("aria-label", "Remove " + title + " from this device");
      });
      remove.addEventListener("click", function () {
        forget(id, null).then(function () { markCards(list); });
      });
      item.appendChild(name);
      item.appendChild(remove);
      items.appendChild(item);
    });
  }

  function titleOf(id, build) {
    return caches.open(PREFIX + id + "/" + build)
      .then(function (cache) { return cache.match("/routines/" + id); })
      .then(function (reply) { return reply ? reply.text() : ""; })
      .then(function (html) {
        var heading = new DOMParser().parseFromString(html, "text/html").querySelector("h1");
        return heading ? heading.textContent.trim() : "";
      }).catch(function () { return ""; });
  }

  // --- The routine page: save, remove, and what is saved now ---------------------------

  function Failed(message) { this.message = message; }

  // `url` fetched whole from the network, never from a kept copy ("no-store": sw.js
  // leaves such a request alone): {url, blob, headers}; `progress(bytes, total)` as it
  // comes; `signal` aborts it. Fails with a Failed whose message says what to do.
  function fetchWhole(url, signal, progress) {
    return fetch(url, {cache: "no-store", signal: signal}).then(function (reply) {
      if (reply.status === 404 || reply.status === 410) {
        throw new Failed("This recording has been replaced: reload the page to save the " +
                         "new one.");
      }
      if (reply.status !== 200) {
        throw new Failed("The server could not send it just now (HTTP " + reply.status +
                         "); try again in a moment.");
      }
      var total = Number(reply.headers.get("Content-Length")) || 0;
      if (!progress || !reply.body || !reply.body.getReader) {
        return reply.blob().then(function (blob) {
          return {url: url, blob: blob, headers: reply.headers};
        });
      }
      var reader = reply.body.getReader(), chunks = [], got = 0;
      function read() {
        return reader.read().then(function (part) {
          if (part.done) {
            return {url: url, blob: new Blob(chunks, {type: reply.headers.get("Content-Type")}),
                    headers: reply.headers};
          }
          chunks.push(part.value);
          got += part.value.length;
          progress(got, total);
          return read();
        });
      }
      return read();
    });
  }

  // The player's audio now comes from elsewhere (the saved copy, or the network again):
  // routine.js loads it afresh at the same place.
  function sourceChanged() {
    document.dispatchEvent(new CustomEvent("matcoach:source-changed"));
  }

  function savePanel(panel) {
    var save = document.getElementById("save-offline");
    var remove = document.getElementById("remove-offline");
    var status = document.getElementById("offline-status");
    var id = panel.dataset.id, build = panel.dataset.build, mp3 = panel.dataset.audio;
    var others = panel.dataset.keep.split(" ");   // the page first, then its cue sheet...
    var target = PREFIX + id + "/" + build;
    panel.hidden = false;
    if (!able) {
      save.hidden = true;
      status.textContent = "Saving for offline and keeping the screen on need a secure " +
        "connection (an https address, or localhost on this computer). It plays and " +
        "follows here as it is.";
      return;
    }

    function show(text, saved, older) {
      status.textContent = text;
      save.hidden = saved;
      save.disabled = false;
      save.textContent = older ? "Save the new recording" : "Save for offline";
      remove.hidden = !saved && !older;
    }

    function refresh() {
      return savedBuilds().then(function (builds) {
        if (builds[id] === build) {
          show("Saved on this device: it plays with no signal.", true, false);
        } else if (builds[id]) {
          show("The copy saved on this device is an older recording.", false, true);
        } else {
          show("", false, false);
        }
      });
    }

    // The page fetched must be of this build: a routine rebuilt since this page was
    // opened would pair another recording's steps with this MP3.
    function sameBuild(page) {
      return page.blob.text().then(function (html) {
        var saved = new DOMParser().parseFromString(html, "text/html")
          .getElementById("offline");
        if (!saved || saved.dataset.build !== build) {
          throw new Failed("A newer recording of this routine is out: reload the page " +
                           "to save it.");
        }
      });
    }

    save.addEventListener("click", function () {
      save.disabled = true;
      status.textContent = "Saving…";
      var existed = false, over = false;
      // When one part fails the others stop: the MP3 would otherwise go on downloading,
      // and its progress wrote "Saving… 87 %" over the failure.
      var stop = window.AbortController ? new AbortController() : null;
      var signal = stop ? stop.signal : undefined;
      caches.has(target).then(function (had) {
        existed = had;
        return Promise.all([fetchWhole(mp3, signal, function (got, total) {
          if (total && !over) {
            status.textContent = "Saving… " + Math.floor(100 * got / total) + " %";
          }
        })].concat(others.map(function (url) { return fetchWhole(url, signal); })));
      }).then(function (parts) {
        return sameBuild(parts[1]).then(function () { return parts; });
      }).then(function (parts) {
        return caches.open(target).then(function (cache) {
          return Promise.all(parts.map(function (part) {
            return cache.put(part.url, new Response(part.blob,
                                                    {status: 200, headers: part.headers}));
          }));
        }).then(function () { return parts[0].blob.size; });
      }).then(function (size) {
        over = true;
        // Complete: the copies of other builds go, and the browser is asked to keep this
        // one when space runs low (it may ask the person).
        if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
        return forget(id, build).then(refresh).then(function () {
          status.textContent = "Saved on this device (" + (size / 1e6).toFixed(1) +
            " MB): it plays with no signal.";
          remove.focus();
          sourceChanged();
        });
      }).catch(function (error) {
        over = true;
        if (stop) { stop.abort(); }
        if (!existed) { caches.delete(target); }   // nothing half saved
        var message = error instanceof Failed ? error.message
          : error && error.name === "QuotaExceededError"
            ? "There is not enough space on this device to save it."
            : "It could not be saved: there is no connection. Try again when online.";
        return refresh().then(function () {
          status.textContent = message;
          save.focus();
        });
      });
    });

    remove.addEventListener("click", function () {
      forget(id, null).then(refresh).then(function () {
        status.textContent = "Removed from this device.";
        save.focus();
        sourceChanged();
      });
    });
    refresh();
  }

  window.matCoachSaved = savedBuilds;   // for the browser tests
  var list = document.getElementById("cards");
  if (list && able) {
    markCards(list);
    // The library replaces cards that change (a routine built meanwhile): mark them again.
    new MutationObserver(function () { markCards(list); }).observe(list, {childList: true});
  }
  var panel = document.getElementById("offline");
  if (panel) { savePanel(panel); }
})();
