// The plan editor: the routine is kept as the mapping a routine file holds (title, level,
// steps...), edited through the fields, and checked by the server with the builder's own
// rules after each pause in typing; each problem is shown under its field, and the
// preview says when each step starts. Keys the editor has no field for (cues of an
// imported file, say) are kept as they are.
"use strict";

(() => {
  const form = document.getElementById("editor");
  if (!form) { return; }
  const state = JSON.parse(document.getElementById("editor-state").textContent);
  const offer = JSON.parse(document.getElementById("editor-offer").textContent);
  const routine = state.routine;
  routine.steps = Array.isArray(routine.steps) ? routine.steps : [];
  const schedule = state.schedule || {};
  const moves = new Map(offer.moves.map((move) => [move.id, move]));
  const names = (kind) => new Map(offer[kind].map((term) => [term.id, term.name]));
  const equipmentNames = names("equipment");
  const positionNames = names("positions");
  const list = document.getElementById("step-list");
  let csrf = document.getElementById("csrf").value;
  const CHECK_AFTER_MS = 400;
  let pending = null;
  let checking = 0;

  // --- Sending --------------------------------------------------------------------------

  // POST `body` as JSON. A page older than its session (signed in again in another tab)
  // asks for a fresh token and sends once more; signed out, the server's sentence says
  // what to do, and nothing written here is lost.
  async function post(url, body, again = true) {
    let reply;
    try {
      reply = await fetch(url, {method: "POST", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}});
    } catch (error) {
      return {status: 0, data: {error: "No connection to Mat Coach; try again in a moment."}};
    }
    if (reply.status === 413) { return {status: 413, data: {error: "That is too large to send."}}; }
    let data = {};
    try { data = await reply.json(); } catch (error) { data = {error: "The server did not answer as expected; try again."}; }
    if (reply.status === 400 && data.error === "form-expired" && again && await freshToken()) {
      return post(url, body, false);
    }
    if (data.message) { data = {error: data.message}; }
    return {status: reply.status, data};
  }

  async function freshToken() {
    try {
      const reply = await fetch(form.dataset.token, {cache: "no-store"});
      if (!reply.ok) { return false; }
      csrf = (await reply.json()).token;
      return true;
    } catch (error) {
      return false;
    }
  }

  function checkSoon() {
    clearTimeout(pending);
    pending = setTimeout(checkNow, CHECK_AFTER_MS);
  }

  async function checkNow() {
    const asked = ++checking;
    const {data} = await post(form.dataset.check, {routine});
    if (asked !== checking) { return; }   // a newer check is on its way
    show(data);
  }

  // --- Problems and the preview ----------------------------------------------------------

  function clearProblems() {
    form.querySelectorAll("[data-problem-for]").forEach((where) => { where.hidden = true; where.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((field) => {
      field.removeAttribute("aria-invalid");
      const described = (field.getAttribute("aria-describedby") || "").split(" ")
        .filter((id) => id && !id.endsWith("-problem")).join(" ");
      if (described) { field.setAttribute("aria-describedby", described); } else { field.removeAttribute("aria-describedby"); }
    });
  }

  // The element that shows problems of `key` ("steps.1.work"), or of its nearest parent.
  function placeFor(key) {
    const parts = key.split(".");
    for (let end = parts.length; end > 0; end--) {
      const where = form.querySelector(`[data-problem-for="${CSS.escape(parts.slice(0, end).join("."))}"]`);
      if (where) { return where; }
    }
    return null;
  }

  function show(data) {
    clearProblems();
    const others = document.getElementById("other-problems");
    others.replaceChildren();
    if (data.error) { addItem(others, data.error); }
    for (const problem of data.problems || []) {
      const where = problem.field ? placeFor(problem.field) : null;
      if (!where) { addItem(others, problem.field ? `${problem.field}: ${problem.message}` : problem.message); continue; }
      where.textContent = where.textContent ? `${where.textContent} ${problem.message}` : problem.message;
      where.hidden = false;
      const field = form.querySelector(`[data-key="${CSS.escape(where.dataset.problemFor)}"], [data-schedule="${CSS.escape(where.dataset.problemFor)}"]`);
      if (field) {
        field.setAttribute("aria-invalid", "true");
        const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (!described.includes(where.id)) { field.setAttribute("aria-describedby", [...described, where.id].join(" ")); }
      }
    }
    others.hidden = !others.children.length;
    const warnings = document.getElementById("warnings");
    warnings.replaceChildren();
    for (const warning of data.warnings || []) { addItem(warnings, `Worth a look: ${warning.message}`); }
    warnings.hidden = !warnings.children.length;
    const preview = document.getElementById("preview");
    const length = document.getElementById("length");
    if (data.ok) {
      preview.replaceChildren(...data.preview.map((chapter) => {
        const item = document.createElement("li");
        const time = Object.assign(document.createElement("span"), {className: "time", textContent: chapter.start});
        item.append(time, ` ${chapter.title}`);
        return item;
      }));
      length.textContent = `About ${data.length} in all.`;
    } else if (data.problems) {
      preview.replaceChildren();   // an old preview would tell of a routine no longer there
      length.textContent = routine.steps.length ? "The preview comes back once the problems are fixed." : "Add a step to see when each one starts.";
    }
  }

  function addItem(parent, text) {
    parent.append(Object.assign(document.createElement("li"), {textContent: text}));
  }

  // --- The steps -------------------------------------------------------------------------

  const SIDES = [["", "As the move says"], ["both", "Both sides"], ["right", "Right side only"], ["left", "Left side only"]];
  // A catalog move's cues, each switched off or on as a whole (a work time the move's own
  // cues do not fit, such as a halfway chime and a reminder on the same second, is then
  // put right here; cues in detail are for routine files).
  const HALFWAY = [["", "As the move says"], ["off", "Off"], ["on", "On"]];
  const REMINDERS = [["", "As the move says"], ["off", "Off"]];
  const OWN_SIDES = [["", "No sides"], ["both", "Both sides"], ["right", "Right side only"], ["left", "Left side only"]];

  function kindOf(step) {
    if (step && typeof step === "object" && "rest" in step) { return "rest"; }
    return step && typeof step === "object" && "move" in step ? "move" : "own";
  }

  function titleOf(step) {
    const kind = kindOf(step);
    if (kind === "rest") { return "Rest"; }
    if (step.title) { return String(step.title); }
    return kind === "move" ? (moves.get(step.move) || {title: String(step.move)}).title : "A step of your own";
  }

  function field(index, key, label, control, hint) {
    const id = `step-${index}-${key.replace(".", "-")}`;
    const wrap = Object.assign(document.createElement("div"), {className: "field"});
    const labelled = Object.assign(document.createElement("label"), {htmlFor: id, textContent: label});
    control.id = id;
    control.dataset.key = `steps.${index}.${key}`;
    const value = valueAt(routine.steps[index], key);
    if (value !== undefined && value !== null) { control.value = shown(key, value); }
    wrap.append(labelled);
    if (hint) {
      wrap.append(Object.assign(document.createElement("p"), {className: "hint", id: `${id}-hint`, textContent: hint}));
      control.setAttribute("aria-describedby", `${id}-hint`);
    }
    const problem = Object.assign(document.createElement("p"), {className: "field-problem", id: `${id}-problem`, hidden: true});
    problem.dataset.problemFor = `steps.${index}.${key}`;
    wrap.append(control, problem);
    return wrap;
  }

  function valueAt(step, key) {
    return key.split(".").reduce((found, part) => (found && typeof found === "object" ? found[part] : undefined), step);
  }

  // A value of the routine file as its field shows it: [right, left] is "both"; a list of
  // equipment or areas shows its first (the editor's own steps take one of each); a cue
  // switched off or on is "off" or "on", and a cue of the move's own is the move's.
  function shown(key, value) {
    if (key.startsWith("cues.")) { return value === false ? "off" : value === true ? "on" : ""; }
    if (key === "sides" && Array.isArray(value)) { return value.length === 2 ? "both" : String(value[0]); }
    return Array.isArray(value) ? String(value[0]) : String(value);
  }

  function input(placeholder) {
    return Object.assign(document.createElement("input"), {autocomplete: "off", placeholder: placeholder || ""});
  }

  function textarea(placeholder) {
    return Object.assign(document.createElement("textarea"), {rows: 2, placeholder: placeholder || ""});
  }

  function select(options) {
    const box = document.createElement("select");
    for (const [value, label] of options) { box.append(new Option(label, value)); }
    return box;
  }

  function stepItem(step, index) {
    const item = Object.assign(document.createElement("li"), {className: "step-editor"});
    const box = document.createElement("fieldset");
    const legend = Object.assign(document.createElement("legend"), {textContent: `Step ${index + 1}: ${titleOf(step)}`});
    box.append(legend);
    const kind = kindOf(step);
    const move = moves.get(step.move);
    if (kind === "rest") {
      box.append(field(index, "rest", "Rest for", input("20s"), "Seconds or minutes: 20s, 1m."),
                 field(index, "say", "Words at the start of the rest (optional)", textarea("Lie still and breathe.")));
    } else if (kind === "move") {
      box.append(field(index, "sides", "Sides", select(SIDES)),
                 field(index, "work", "Work time", input(move ? move.work : "45s"), move ? `The catalog's: ${move.work}.` : ""),
                 field(index, "say", "Your words instead of the catalog's (optional)", textarea(move ? move.say : "")),
                 field(index, "feel", "What it should feel like (optional)", textarea(move ? move.feel : "")),
                 field(index, "cues.halfway", "Halfway chime", select(HALFWAY)),
                 field(index, "cues.every", "Reminders during the work", select(REMINDERS)));
      if (move) {
        const facts = [move.equipment.map((id) => equipmentNames.get(id) || id).join(", "), positionNames.get(move.position) || move.position].filter(Boolean).join(" · ");
        box.insertBefore(Object.assign(document.createElement("p"), {className: "meta", textContent: facts}), box.children[1]);
      }
    } else {
      const pick = (kind, none) => select([["", none], ...offer[kind].map((term) => [term.id, term.name])]);
      box.append(field(index, "title", "Title", input("Shoulder squeeze")),
                 field(index, "say", "What to do", textarea("Sit tall and draw your shoulders back.")),
                 field(index, "feel", "What it should feel like (optional)", textarea()),
                 field(index, "equipment", "Equipment", pick("equipment", "None")),
                 field(index, "body_area", "Body area", pick("body_areas", "Choose one")),
                 field(index, "position", "Position", pick("positions", "Choose one")),
                 field(index, "sides", "Sides", select(OWN_SIDES)),
                 field(index, "work", "Work time", input("45s"), "Seconds or minutes: 45s, 1m30s."));
    }
    const stepProblem = Object.assign(document.createElement("p"), {className: "field-problem", id: `step-${index}-problem`, hidden: true});
    stepProblem.dataset.problemFor = `steps.${index}`;
    box.append(stepProblem, tools(index));
    item.append(box);
    return item;
  }

  function tools(index) {
    const row = Object.assign(document.createElement("p"), {className: "step-tools"});
    const name = `step ${index + 1}`;
    const button = (text, label, act, disabled) => {
      const made = Object.assign(document.createElement("button"), {type: "button", textContent: text, disabled});
      made.setAttribute("aria-label", label);
      made.addEventListener("click", act);
      return made;
    };
    row.append(button("Up", `Move ${name} up`, () => moveStep(index, -1), index === 0),
               button("Down", `Move ${name} down`, () => moveStep(index, 1), index === routine.steps.length - 1),
               button("Remove", `Remove ${name}`, () => removeStep(index), false));
    return row;
  }

  function render(focusKey) {
    list.replaceChildren(...routine.steps.map(stepItem));
    if (focusKey) { const target = form.querySelector(focusKey); if (target) { target.focus(); } }
    checkNow();
  }

  function addStep(step) {
    routine.steps.push(step);
    render();
    const legend = list.lastElementChild && list.lastElementChild.querySelector("input, select, textarea");
    if (legend) { legend.focus(); }
  }

  function moveStep(index, by) {
    const [step] = routine.steps.splice(index, 1);
    routine.steps.splice(index + by, 0, step);
    render(`[aria-label="Move step ${index + by + 1} ${by < 0 ? "up" : "down"}"]`);
  }

  function removeStep(index) {
    routine.steps.splice(index, 1);
    render();
    document.getElementById("steps-heading").focus();
  }

  // A field's text as the routine file holds it: whole seconds as a number, else text;
  // an empty field leaves the key out (the move's own value, or the default, applies).
  function valueOf(control) {
    const text = control.value.trim();
    if (text === "") { return undefined; }
    if (control.dataset.key.includes(".cues.")) { return text === "on"; }
    return /^[0-9]{1,6}$/.test(text) && /\.(work|rest)$/.test(control.dataset.key) ? Number(text) : text;
  }

  form.addEventListener("input", (event) => {
    const control = event.target;
    if (control.dataset.key) {
      const path = control.dataset.key.split(".");
      let target = routine;
      for (const part of path.slice(0, -1)) {
        if (!target[part] || typeof target[part] !== "object") { target[part] = {}; }
        target = target[part];
      }
      const key = path[path.length - 1];
      const value = valueOf(control);
      if (value === undefined && key !== "rest") { delete target[key]; } else { target[key] = value === undefined ? "" : value; }
      const step = path[0] === "steps" ? routine.steps[Number(path[1])] : null;
      if (step && step.cues && !Object.keys(step.cues).length) { delete step.cues; }
      if (key === "title" && path.length === 3) { control.closest("fieldset").querySelector("legend").textContent = `Step ${Number(path[1]) + 1}: ${titleOf(target)}`; }
      checkSoon();
    } else if (control.dataset.schedule) {
      schedule[control.dataset.schedule] = control.value;
    }
  });

  // --- The catalog -----------------------------------------------------------------------

  const finders = ["find-text", "find-area", "find-equipment", "find-position"].map((id) => document.getElementById(id));

  function showCatalog() {
    const [text, area, equipment, position] = finders.map((finder) => finder.value.trim().toLowerCase());
    const found = offer.moves.filter((move) =>
      (!text || move.title.toLowerCase().includes(text) || move.say.toLowerCase().includes(text)) &&
      (!area || move.body_area.includes(area)) && (!equipment || move.equipment.includes(equipment)) &&
      (!position || move.position === position));
    document.getElementById("catalog").replaceChildren(...found.map((move) => {
      const item = document.createElement("li");
      const facts = [move.work, move.equipment.map((id) => equipmentNames.get(id) || id).join(", "), positionNames.get(move.position) || move.position].filter(Boolean).join(" · ");
      const add = Object.assign(document.createElement("button"), {type: "button", textContent: "Add"});
      add.setAttribute("aria-label", `Add ${move.title}`);
      add.addEventListener("click", () => addStep({move: move.id}));
      item.append(Object.assign(document.createElement("span"), {className: "name", textContent: move.title}),
                  Object.assign(document.createElement("span"), {className: "meta", textContent: facts}), add);
      return item;
    }));
    document.getElementById("found-count").textContent = `${found.length} move${found.length === 1 ? "" : "s"}`;
  }

  finders.forEach((finder) => finder.addEventListener("input", (event) => { event.stopPropagation(); showCatalog(); }));
  document.getElementById("add-free").addEventListener("click", () => addStep({title: "", work: "45s"}));
  document.getElementById("add-rest").addEventListener("click", () => addStep({rest: "20s"}));

  // --- Import, and saving ----------------------------------------------------------------

  const importer = document.getElementById("import-file");
  importer.addEventListener("change", async () => {
    const problem = document.getElementById("import-problem");
    problem.hidden = true;
    const file = importer.files[0];
    if (!file) { return; }
    const {status, data} = await post(form.dataset.import, {yaml: await file.text()});
    if (status !== 200) {
      problem.textContent = `${file.name}: ${data.error}`;
      problem.hidden = false;
      return;
    }
    for (const key of Object.keys(routine)) { delete routine[key]; }
    Object.assign(routine, data.routine);
    routine.steps = Array.isArray(routine.steps) ? routine.steps : [];
    fillTop();
    render();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("save-status");
    status.textContent = "Saving…";
    const {status: code, data} = await post(form.dataset.save, {routine, schedule});
    if (code === 201) { window.location.assign(data.url); return; }
    show(data);
    status.textContent = data.problems ? "Not saved: fix what is marked, then save again."
      : `Not saved. ${data.error || ""}`.trim();
    const first = form.querySelector("[aria-invalid=true]");
    if (first) { first.focus(); }
  });

  function fillTop() {
    form.querySelectorAll("[data-key]").forEach((control) => {
      const key = control.dataset.key;
      if (!key.startsWith("steps.") && routine[key] !== undefined) { control.value = String(routine[key]); }
    });
  }

  fillTop();
  form.querySelectorAll("[data-schedule]").forEach((control) => { control.value = schedule[control.dataset.schedule] || ""; });
  if (!routine.level) { routine.level = document.getElementById("routine-level").value; }
  showCatalog();
  render();
})();
