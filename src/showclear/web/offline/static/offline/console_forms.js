/* The console's forms: one small form per command the catalogue declares, with defaults taken
   from the local state (people, setups, lots), the take number advancing, and the PIN typed by
   the person a hand-over goes to. */

const SKIP = new Set(["cmd", "production", "by", "at", "client_at", "idempotency_key"]);

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const child of children) node.append(child);
  return node;
}

/* Today's date on the production's clock (its time zone), else on the phone's. */
export function today(tz) {
  const d = new Date();
  if (tz) {
    try {
      return new Intl.DateTimeFormat("en-CA", {timeZone: tz, year: "numeric", month: "2-digit",
        day: "2-digit"}).format(d);
    } catch (error) { /* a zone this browser does not know: the phone's own day */ }
  }
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function takeKey(production) { return `showclear-take-${production}`; }

export const fields = {
  /* The next take after one recorded here: the take number advances. */
  advance(command, values, production) {
    if (Number.isInteger(values.take)) {
      localStorage.setItem(takeKey(production), String(values.take + 1));
    }
  },
};

/* Today's setups: those not shot yet (ctx.todo), else those naming the weapon first, then those
   whose blanks match what it holds. */
function todays(view, weapon, todo) {
  if (todo && todo.length) return todo;
  const day = today(view.timezone);
  const setups = Object.values(view.setups || {}).filter((s) => s.date === day);
  if (!weapon) return setups;
  const kinds = Object.keys(weapon.contents || {}).map((lot) => ((view.lots || {})[lot] || {}).kind);
  const blanks = kinds.includes("blank");
  const score = (s) => (s.weapons.includes(weapon.id) ? 0 : 2) + (s.blanks === blanks ? 0 : 1);
  return setups.map((s, i) => [score(s), i, s]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map((x) => x[2]);
}

function select(name, options, chosen, required) {
  const box = el("select", {name, required: !!required});
  if (!required || chosen === undefined) box.append(el("option", {value: ""}, "(choose)"));
  for (const [value, label] of options) {
    const option = el("option", {value}, label);
    if (value === chosen) option.selected = true;
    box.append(option);
  }
  return box;
}

const CHECKED = new Set(["acknowledged", "barrel_clear"]); /* what is usually so */
const ROUNDS = ["dummy", "blank", "live", "suspect"]; /* what an inspection may find */

function checks(name, options, ticked) {
  const box = el("fieldset", {class: "checks"}, el("legend", {}, name.replace(/_/g, " ")));
  for (const [value, label] of options) {
    box.append(el("label", {class: "check"},
      el("input", {type: "checkbox", name, value, checked: ticked.includes(value)}), ` ${label}`));
  }
  return box;
}

/* A declaration is shown to the first ADs and the performers of today's setup with the weapon. */
function shownTo(view, weapon, ctx) {
  const ads = Object.values(view.people || {}).filter((p) => (p.roles || []).includes("first_ad"));
  const setup = todays(view, weapon, ctx.todo)[0];
  return [...ads.map((p) => p.id), ...(setup ? setup.performers : [])];
}

/* Everyone called today: the people of today's setups, and the armorers and first ADs. */
function called(view) {
  const day = today(view.timezone);
  const ids = new Set();
  for (const s of Object.values(view.setups || {}).filter((s) => s.date === day)) {
    for (const p of [...s.performers, ...(s.crew || [])]) ids.add(p);
  }
  for (const p of Object.values(view.people || {})) {
    if ((p.roles || []).some((r) => r === "armorer" || r === "first_ad")) ids.add(p.id);
  }
  return [...ids];
}

/* What a hold may name: the weapons, lots, today's setups and the production; choosing one
   sets the hold's target to its kind. */
function holdable(view, production) {
  const day = today(view.timezone);
  const targets = [
    ...Object.values(view.weapons || {}).filter((w) => !w.removed).map((w) => [w.id, "weapon"]),
    ...Object.values(view.lots || {}).filter((l) => !l.removed).map((l) => [l.id, "lot"]),
    ...Object.values(view.setups || {}).filter((s) => s.date === day).map((s) => [s.id, "setup"]),
    [production, "production"],
  ];
  const box = select("id", targets.map(([id, kind]) => [id, `${id} (${kind})`]), undefined, true);
  targets.forEach(([, kind], i) => { box.options[i + 1].dataset.target = kind; });
  box.addEventListener("change", () => {
    const kind = (box.selectedOptions[0] || {dataset: {}}).dataset.target;
    if (kind && box.form) box.form.elements.target.value = kind;
  });
  return box;
}

/* The lot a load or unload names: the one in the weapon (unload), else the one I hold. */
function lotFor(view, item, ctx) {
  if (ctx.cmd === "unload") {
    const inside = Object.keys(item.contents || {});
    return inside.length === 1 ? inside[0] : undefined;
  }
  const mine = Object.values(view.lots || {}).filter((l) => !l.removed && l.held_by === ctx.person);
  const next = (ctx.todo || [])[0];
  const fits = next ? mine.filter((l) => (l.kind === "blank") === !!next.blanks) : mine;
  return fits.length === 1 ? fits[0].id : mine.length === 1 ? mine[0].id : undefined;
}

function input(field, kind, item, ctx) {
  const {view, names, production} = ctx;
  const type = field.type;
  if (type === kind) return null; /* the tapped item itself */
  if ((type === "weapon" || type === "lot") && !field.required) return null; /* the other kind */
  if (type === "list:person") {
    const people = Object.values(view.people || {}).map((p) => [p.id, names[p.id] || p.name]);
    const ticked = field.name === "shown_to" ? shownTo(view, item, ctx) :
      field.name === "attendees" ? called(view) : [];
    return checks(field.name, people, ticked);
  }
  if (field.name === "found") {
    /* What the record says is in it: its rounds by lot, counted by the lots' kinds. */
    const expected = {};
    for (const [lot, n] of Object.entries(item.contents || {})) {
      const round = ((view.lots || {})[lot] || {}).kind || "suspect";
      expected[round] = (expected[round] || 0) + n;
    }
    const box = el("fieldset", {class: "found"}, el("legend", {}, "found in the chambers"));
    for (const round of ROUNDS) {
      const id = `f-found-${round}-${item.id}`;
      const label = el("label", {class: "k"}, `${round} rounds`);
      label.htmlFor = id;
      box.append(label, el("input", {type: "number", name: `found_${round}`, id, min: "0",
        inputMode: "numeric", value: String(expected[round] || 0)}));
    }
    return box;
  }
  if (type === "person") {
    const people = Object.values(view.people || {}).map((p) => [p.id, names[p.id] || p.name]);
    /* a weapon goes to the performer of today's setup that names it */
    const setup = field.name === "to" && kind === "weapon" ? todays(view, item, ctx.todo)[0] : undefined;
    return select(field.name, people, setup ? setup.performers[0] : undefined, field.required);
  }
  if (type === "weapon" || type === "lot") {
    const list = Object.values(view[type + "s"] || {}).filter((i) => !i.removed);
    const chosen = type === "lot" && kind === "weapon" ? lotFor(view, item, ctx) : undefined;
    return select(field.name, list.map((i) => [i.id, i.id]), chosen, field.required);
  }
  if (type === "setup") {
    const setups = Object.values(view.setups || {});
    let next = todays(view, kind === "weapon" ? item : null, ctx.todo);
    if (ctx.cmd === "safety_meeting") { /* the next setup without a meeting that counts */
      const met = (view.meetings || {})[today(view.timezone)] || [];
      next = next.filter((s) => !met.some((m) => m.setup === s.id && m.complete));
    }
    const first = next[0];
    return select(field.name, setups.map((s) => [s.id, `${s.id} (${s.date})`]),
      first ? first.id : undefined, field.required);
  }
  if (type === "storage") {
    const rooms = Object.values(view.storages || {}).map((s) => [s.id, s.name]);
    return select(field.name, rooms, rooms.length === 1 ? rooms[0][0] : undefined, field.required);
  }
  if (type === "choice") {
    const blanks = Object.keys(item.contents || {}).some((l) => ((view.lots || {})[l] || {}).kind === "blank");
    const hot = field.name === "status" && blanks && (field.choices || []).includes("hot");
    return select(field.name, (field.choices || []).map((c) => [c, c]),
      hot ? "hot" : field.required ? (field.choices || [])[0] : undefined, field.required);
  }
  if (type === "int") {
    let start = field.name === "take" ? localStorage.getItem(takeKey(production)) || "1" : "";
    if (field.name === "chambers_checked" && item.capacity !== undefined) start = String(item.capacity);
    if (field.name === "count" && ctx.cmd === "load") start = String(item.capacity || "");
    if (field.name === "count" && ctx.cmd === "unload") start = String((item.contents || {})[lotFor(view, item, ctx)] || "");
    if (field.name === "rounds") start = String(Object.values(item.contents || {}).reduce((a, n) => a + n, 0));
    return el("input", {type: "number", name: field.name, inputMode: "numeric", min: "0",
      value: start, required: !!field.required});
  }
  if (type === "bool") {
    const box = el("input", {type: "checkbox", name: field.name, value: "1"});
    if (CHECKED.has(field.name)) box.checked = true;
    return el("label", {class: "check"}, box, ` ${field.name.replace(/_/g, " ")}`);
  }
  if (type === "day" || field.name === "date") {
    return el("input", {type: "date", name: field.name, value: today(view.timezone), required: !!field.required});
  }
  if (ctx.cmd === "hold" && field.name === "id") return holdable(view, production);
  if (type === "list:text") { /* ids, one after another: "W1 B1" */
    return el("input", {type: "text", name: field.name, placeholder: "W1 B1"});
  }
  return el("input", {type: "text", name: field.name, required: !!field.required});
}

/* One form for one command on one item; the PIN field when it is a hand-over to someone. */
export function buildForm(command, kind, item, ctx) {
  const name = command.takeBack ? "take_back" : command.name;
  const form = el("form", {class: "action offline-action", "data-cmd": name, id: `offline-do-${name}`});
  form.dataset.item = item.id;
  form.dataset.kind = kind;
  form.append(el("h3", {}, command.title || command.name.replace(/_/g, " ")));
  if (command.summary) form.append(el("p", {class: "small muted"}, command.summary));
  for (const field of command.fields) {
    if (SKIP.has(field.name)) continue;
    const control = input(field, kind, item, {...ctx, cmd: command.name});
    if (!control) continue;
    if (control.tagName === "LABEL" || control.tagName === "FIELDSET") {
      form.append(control);
      continue;
    }
    const label = el("label", {class: "k"}, field.name.replace(/_/g, " "));
    label.htmlFor = control.id = `f-${name}-${field.name}`;
    form.append(label, control);
  }
  if (command.byPin) {
    /* A performer in costume has no phone: they type their PIN here (ADR 0014). */
    const people = Object.values(ctx.view.people || {}).map((p) => [p.id, ctx.names[p.id] || p.name]);
    const who = select("by", people, item.held_by || ctx.person, true);
    const label = el("label", {class: "k"}, "who fired");
    label.htmlFor = who.id = `f-${name}-by`;
    form.append(label, who);
  }
  if (command.byPin || command.fields.some((f) => f.name === "acknowledged")) {
    const pin = el("input", {type: "password", name: "pin", inputMode: "numeric",
      autocomplete: "off", id: `f-${name}-pin`});
    const label = el("label", {class: "k"}, command.byPin ?
      "PIN of who fired (typed by them; not when it is you)" :
      `PIN of the person ${command.takeBack ? "giving it back" : "receiving it"} (typed by them)`);
    label.htmlFor = pin.id;
    form.append(label, pin);
  }
  form.append(el("button", {type: "submit"}, "Check and record"));
  return form;
}

/* The form's values as the command's fields; the PIN kept aside (never in the signed body);
   `by`: who fired, for a step a performer gives on this phone. */
export function readForm(command, form) {
  const values = {};
  const pins = {};
  let problem = "";
  const kind = form.dataset.kind;
  for (const field of command.fields) {
    if (SKIP.has(field.name)) continue;
    if (field.type === kind && !form.elements[field.name]) {
      values[field.name] = form.dataset.item;
      continue;
    }
    if (field.name === "found") {
      const found = {};
      for (const round of ROUNDS) {
        const raw = (form.elements[`found_${round}`] || {value: ""}).value.trim();
        if (raw && !/^\d+$/.test(raw)) problem = problem || `${round} rounds must be a whole number.`;
        else if (raw && parseInt(raw, 10) > 0) found[round] = parseInt(raw, 10);
      }
      values.found = found;
      continue;
    }
    if (field.type === "list:person") {
      values[field.name] = Array.from(form.querySelectorAll(`input[name="${field.name}"]:checked`),
        (box) => box.value);
      if (field.required && !values[field.name].length) {
        problem = problem || `${field.name.replace(/_/g, " ")}: choose at least one.`;
      }
      continue;
    }
    const control = form.elements[field.name];
    if (!control) continue;
    if (field.type === "list:text") {
      values[field.name] = control.value.split(/[\s,]+/).filter(Boolean);
      continue;
    }
    if (field.type === "bool") {
      values[field.name] = control.checked;
      continue;
    }
    const raw = control.value.trim();
    if (!raw) {
      if (field.required) problem = problem || `${field.name.replace(/_/g, " ")} is needed.`;
      continue;
    }
    if (field.type === "int") {
      if (!/^\d+$/.test(raw)) {
        problem = problem || `${field.name.replace(/_/g, " ")} must be a whole number.`;
        continue;
      }
      values[field.name] = parseInt(raw, 10);
    } else {
      values[field.name] = raw;
    }
  }
  const pin = form.elements.pin ? form.elements.pin.value.trim() : "";
  const by = command.byPin ? form.elements.by.value : "";
  if (command.byPin) {
    if (!by) problem = problem || "who fired: choose who.";
    else if (pin) pins[by] = pin;
  } else if (pin && command.takeBack) {
    pins.giver = pin;
  } else if (pin) {
    const receiver = command.fields.find((f) => f.type === "person" && values[f.name]);
    if (receiver) pins[values[receiver.name]] = pin;
  }
  return {values, pins, problem, by};
}
