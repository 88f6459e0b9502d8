// Filters the routine cards as the choices change, without reloading, and keeps the
// choices in the address so the view can be shared or bookmarked. While routines are being
// prepared, keeps the progress line current and turns each card into a ready one when its
// routine is built.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var list = document.getElementById("cards");
  var count = document.getElementById("count");
  var none = document.getElementById("none");
  var progress = document.getElementById("progress");

  function cards() {
    return Array.prototype.slice.call(list.querySelectorAll(".card"));
  }

  function value(name) {
    return form.elements[name].value.trim();
  }

  // Sets the words of a live region only when they change, so nothing is announced twice.
  function say(element, text) {
    if (element.textContent.trim() !== text) { element.textContent = text; }
  }

  // The server's rule too: a positive whole number, anything else means no limit.
  function minutesLimit() {
    var text = value("minutes");
    return /^\d+$/.test(text) && parseInt(text, 10) > 0 ? parseInt(text, 10) : null;
  }

  function matches(card, limit) {
    var has = function (field, term) {
      return !term || card.dataset[field].split(" ").indexOf(term) !== -1;
    };
    return has("equipment", value("equipment")) && has("areas", value("area")) &&
      has("goals", value("goal")) &&
      (limit === null || parseInt(card.dataset.ms, 10) <= limit * 60000);
  }

  // The same words as the server's count_text (web/pages.py).
  function countText(all, shown) {
    var text = shown.length + " of " + all.length + " routine" + (all.length === 1 ? "" : "s");
    var waiting = 0, notBuilt = 0;
    shown.forEach(function (card) {
      if (card.dataset.state === "waiting") { waiting += 1; }
      else if (card.dataset.state !== "ready") { notBuilt += 1; }
    });
    if (waiting) { text += ", " + waiting + " being prepared"; }
    if (notBuilt) { text += ", " + notBuilt + " not built"; }
    return text;
  }

  function apply() {
    var limit = minutesLimit(), all = cards();
    var shown = all.filter(function (card) {
      card.hidden = !matches(card, limit);
      return !card.hidden;
    });
    say(count, countText(all, shown));
    none.hidden = shown.length > 0 || all.length === 0;
    var params = new URLSearchParams();
    ["equipment", "area", "goal"].forEach(function (name) {
      if (value(name)) { params.set(name, value(name)); }
    });
    if (limit !== null) { params.set("minutes", String(limit)); }
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  document.getElementById("clear").addEventListener("click", function (event) {
    event.preventDefault();
    form.reset();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name) { field.value = ""; }
    });
    apply();
  });
  form.querySelector(".apply").hidden = true;   // the filters apply as you choose
  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.getElementById("filter-panel").open = true;   // room to show them at once
  }

  // --- Routines being prepared -------------------------------------------------------

  // Ignores the hidden attribute, which the filters own.
  function sameCard(a, b) {
    var x = a.cloneNode(true), y = b.cloneNode(true);
    x.hidden = false;
    y.hidden = false;
    return x.isEqualNode(y);
  }

  // The card at the top of the window that stays as it is, to keep the view steady by.
  function anchorAmong(kept) {
    return kept.filter(function (card) {
      return card.getBoundingClientRect().bottom > 0;
    })[0] || null;
  }

  // Puts the server's cards in place of ours: a card that is the same stays (so the cards
  // already ready neither flicker nor move), the others are replaced or added or removed.
  // Focus stays on the card it was in; the window stays where it was.
  function merge(fresh) {
    var old = {};
    cards().forEach(function (card) { old[card.dataset.id] = card; });
    var kept = [], nodes = fresh.map(function (card) {
      var current = old[card.dataset.id];
      if (current && sameCard(current, card)) { kept.push(current); return current; }
      return document.importNode(card, true);
    });
    var anchor = anchorAmong(kept), top = anchor && anchor.getBoundingClientRect().top;
    var focused = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("#cards .card");
    nodes.forEach(function (node, index) {
      if (list.children[index] !== node) { list.insertBefore(node, list.children[index] || null); }
    });
    while (list.children.length > nodes.length) { list.removeChild(list.lastElementChild); }
    if (focused && !focused.isConnected) {
      var same = list.querySelector('.card[data-id="' + CSS.escape(focused.dataset.id) + '"] a');
      if (same) { same.focus({ preventScroll: true }); }
    }
    if (anchor) { window.scrollBy(0, anchor.getBoundingClientRect().top - top); }
    apply();
  }

  // Fetches this page again (with its filters) and merges its cards. A failed fetch is
  // not an error of the page: the next poll tries again.
  function refresh() {
    return fetch(location.href, { cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (reply) {
        if (!reply.ok) { throw new Error("library: HTTP " + reply.status); }
        return reply.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        merge(Array.prototype.slice.call(page.querySelectorAll("#cards .card")));
        return true;
      }, function () { return false; });
  }

  // Whether a routine came, went, or changed state since the page was rendered.
  function changed(status) {
    var onPage = cards();
    return Object.keys(status.routines).length !== onPage.length ||
      onPage.some(function (card) {
        var routine = status.routines[card.dataset.id];
        return !routine || routine.state !== card.dataset.state;
      });
  }

  function update(status) {
    say(progress, status.progress || "");
    cards().forEach(function (card) {   // the waits of cards still waiting
      var routine = status.routines[card.dataset.id], wait = card.querySelector(".wait");
      if (routine && routine.wait && wait) { wait.textContent = routine.wait; }
    });
    if (!changed(status)) { return status.preparing; }
    // Keep asking until the page has caught up, even if the builder has just finished.
    return refresh().then(function (merged) { return status.preparing || !merged; });
  }

  var preparing = progress.textContent.trim() !== "" ||
    list.querySelector('.card[data-state="waiting"]') !== null;
  if (preparing) { window.pollBuildStatus(progress.dataset.statusUrl, update); }
})();
