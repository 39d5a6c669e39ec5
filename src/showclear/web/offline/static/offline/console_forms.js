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

function today() {
  const d = new Date();
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

function checks(name, options) {
  const box = el("fieldset", {class: "checks"}, el("legend", {}, name.replace(/_/g, " ")));
  for (const [value, label] of options) {
    box.append(el("label", {class: "check"},
      el("input", {type: "checkbox", name, value}), ` ${label}`));
  }
  return box;
}

function input(field, kind, item, ctx) {
  const {view, names, production} = ctx;
  const type = field.type;
  if (type === kind) return null; /* the tapped item itself */
  if ((type === "weapon" || type === "lot") && !field.required) return null; /* the other kind */
  if (type === "list:person") {
    const people = Object.values(view.people || {}).map((p) => [p.id, names[p.id] || p.name]);
    return checks(field.name, people);
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
    return select(field.name, people, undefined, field.required);
  }
  if (type === "weapon" || type === "lot") {
    const list = Object.values(view[type + "s"] || {}).filter((i) => !i.removed);
    return select(field.name, list.map((i) => [i.id, i.id]), undefined, field.required);
  }
  if (type === "setup") {
    const day = today();
    const setups = Object.values(view.setups || {});
    const first = setups.find((s) => s.date === day);
    return select(field.name, setups.map((s) => [s.id, `${s.id} (${s.date})`]),
      first ? first.id : undefined, field.required);
  }
  if (type === "storage") {
    const rooms = Object.values(view.storages || {}).map((s) => [s.id, s.name]);
    return select(field.name, rooms, rooms.length === 1 ? rooms[0][0] : undefined, field.required);
  }
  if (type === "choice") {
    return select(field.name, (field.choices || []).map((c) => [c, c]),
      field.required ? (field.choices || [])[0] : undefined, field.required);
  }
  if (type === "int") {
    let start = field.name === "take" ? localStorage.getItem(takeKey(production)) || "1" : "";
    if (field.name === "chambers_checked" && item.capacity !== undefined) start = String(item.capacity);
    return el("input", {type: "number", name: field.name, inputMode: "numeric", min: "0",
      value: start, required: !!field.required});
  }
  if (type === "bool") {
    const box = el("input", {type: "checkbox", name: field.name, value: "1"});
    if (CHECKED.has(field.name)) box.checked = true;
    return el("label", {class: "check"}, box, ` ${field.name.replace(/_/g, " ")}`);
  }
  if (type === "day") {
    return el("input", {type: "date", name: field.name, value: today(), required: !!field.required});
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
    const control = input(field, kind, item, ctx);
    if (!control) continue;
    if (control.tagName === "LABEL" || control.tagName === "FIELDSET") {
      form.append(control);
      continue;
    }
    const label = el("label", {class: "k"}, field.name.replace(/_/g, " "));
    label.htmlFor = control.id = `f-${name}-${field.name}`;
    form.append(label, control);
  }
  if (command.fields.some((f) => f.name === "acknowledged")) {
    const pin = el("input", {type: "password", name: "pin", inputMode: "numeric",
      autocomplete: "off", id: `f-${name}-pin`});
    const who = command.takeBack ? "giving it back" : "receiving it";
    const label = el("label", {class: "k"}, `PIN of the person ${who} (typed by them)`);
    label.htmlFor = pin.id;
    form.append(label, pin);
  }
  form.append(el("button", {type: "submit"}, "Check and record"));
  return form;
}

/* The form's values as the command's fields; the PIN kept aside (never in the signed body). */
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
  if (pin && command.takeBack) {
    pins.giver = pin;
  } else if (pin) {
    const receiver = command.fields.find((f) => f.type === "person" && values[f.name]);
    if (receiver) pins[values[receiver.name]] = pin;
  }
  return {values, pins, problem};
}
