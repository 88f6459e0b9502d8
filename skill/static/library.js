// Filters the routine cards as the choices change, without reloading, and keeps the
// choices in the address so the view can be shared or bookmarked.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll("#cards .card"));
  var count = document.getElementById("count");

  function value(name) {
    return form.elements[name].value.trim();
  }

  function matches(card) {
    var equipment = value("equipment"), area = value("area"), goal = value("goal");
    var minutes = parseInt(value("minutes"), 10);
    var has = function (field, term) {
      return !term || card.dataset[field].split(" ").indexOf(term) !== -1;
    };
    return has("equipment", equipment) && has("areas", area) && has("goals", goal) &&
      (isNaN(minutes) || parseInt(card.dataset.minutes, 10) <= minutes);
  }

  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      card.hidden = !matches(card);
      if (!card.hidden) { shown += 1; }
    });
    count.textContent = shown + " of " + cards.length + " routine" + (cards.length === 1 ? "" : "s");
    var params = new URLSearchParams();
    ["equipment", "area", "goal", "minutes"].forEach(function (name) {
      if (value(name)) { params.set(name, value(name)); }
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  form.querySelector(".apply").hidden = true;   // the filters apply as you choose
})();
