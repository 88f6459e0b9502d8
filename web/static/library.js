// Filters the routine cards as the choices change, without reloading, and keeps the
// choices in the address so the view can be shared or bookmarked.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll("#cards .card"));
  var count = document.getElementById("count");
  var none = document.getElementById("none");

  function value(name) {
    return form.elements[name].value.trim();
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

  function apply() {
    var limit = minutesLimit(), shown = 0;
    cards.forEach(function (card) {
      card.hidden = !matches(card, limit);
      if (!card.hidden) { shown += 1; }
    });
    var text = shown + " of " + cards.length + " routine" + (cards.length === 1 ? "" : "s");
    if (count.textContent.trim() !== text) { count.textContent = text; }   // announce changes only
    none.hidden = shown > 0 || cards.length === 0;
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
})();
