/* The offline console: the production as this phone knows it (the snapshot, then its queued
   commands), each step checked by the domain itself in a worker, signed and queued. */
import {buildForm, el, fields, readForm, today} from "./console_forms.js";
import {dayOrder, expected, grouped, named, toShoot} from "./console_next.js";

const SC = self.SC;
const root = document.getElementById("offline-console");
const production = root.dataset.production;
const person = root.dataset.person;
const roles = (root.dataset.roles || "").split(",").filter(Boolean);
const $ = (id) => document.getElementById(id);
let domain = null;
let catalogue = [];
let view = null;
let kept = null; /* {snapshot, fetched_at} */
let stale = true;

/* One thing at a time with the worker: a rebuild and a step must not interleave their messages. */
let chain = Promise.resolve();
function serial(fn) {
  chain = chain.then(fn, fn);
  return chain;
}

const names = () => (kept && kept.snapshot.names) || {};
const nameOf = (id) => (id ? names()[id] || id : "");

async function startDomain() {
  if (domain) return domain;
  const {OfflineDomain} = await import("./domain.js");
  domain = new OfflineDomain();
  return domain;
}

/* The local state: the snapshot, then every queued command the snapshot does not have yet. */
async function rebuild() {
  kept = await SC.get("snapshots", production);
  const status = await SC.status(production);
  stale = status.stale;
  if (!kept) {
    view = null;
    return;
  }
  const d = await startDomain();
  await d.load(kept.snapshot);
  const revoked = new Set((await SC.all("devices")).filter((d) => d.revoked).map((d) => d.id));
  for (const item of await SC.queueFor(production)) {
    const body = JSON.parse(item.body);
    const waits = item.state === "waiting" && !revoked.has(item.device); /* a revoked one never goes */
    const pending = waits || (item.entry !== null && item.entry >= kept.snapshot.size);
    if (!pending || (body.result && body.result.checked === false)) continue;
    await d.apply({...body.command, at: body.device_at});
  }
  view = await d.view();
  if (!catalogue.length) catalogue = normal((await d.catalogue()) || []);
}

function when(ms) {
  const d = new Date(ms);
  return d.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
}

async function renderStatus() {
  const s = await SC.status(production);
  const parts = [s.online ? "Online" : "No signal", `${s.waiting} waiting`];
  if (s.snapshot) {
    const bytes = kept ? JSON.stringify(kept.snapshot).length : 0;
    parts.push(`snapshot of ${when(Date.parse(s.snapshot.issued_at))} (${SC.age(s.age)} old, ` +
      `${s.snapshot.size} entries, ${Math.round(bytes / 1024)} KB), valid until ` +
      `${when(Date.parse(s.snapshot.valid_until))}, ` +
      (kept && kept.verified ? "signed by the record" : "signature not checked by this browser"));
  } else {
    parts.push("no snapshot on this phone: open it once with signal");
  }
  if (s.stale) parts.push("only observations can be recorded until a fresh snapshot");
  const status = $("offline-status");
  status.textContent = parts.join(" · ");
  status.classList.toggle("stale", s.stale);
  $("offline-waiting").textContent = `${s.waiting} waiting`;
  await renderEviction(s.waiting);
}

async function renderEviction(waiting) {
  const box = $("offline-evict");
  let persisted = false;
  if (navigator.storage && navigator.storage.persist) {
    persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  }
  const installed = matchMedia("(display-mode: standalone)").matches || navigator.standalone;
  box.hidden = persisted || installed;
  box.textContent = "Install showclear on this phone: use the browser's menu, \"Add to Home " +
    "Screen\". Until then the browser may delete this phone's record: iOS deletes a website's " +
    `data after 7 days unused; ${waiting} command${waiting === 1 ? "" : "s"} waiting.`;
}

function itemCard(kind, item) {
  const holder = item.held_by ? `Held by ${nameOf(item.held_by)}` :
    item.stored_in ? `In ${(view.storages[item.stored_in] || {}).name || item.stored_in}` : "Nowhere known";
  const badges = el("div", {class: "badges"});
  if (kind === "weapon") {
    badges.append(el("span", {class: `badge b-${item.condition}`}, item.condition.toUpperCase()));
    const dec = item.declaration ? item.declaration.status : "";
    badges.append(el("span", {class: `badge b-${dec || "none"}`}, dec ? dec.toUpperCase() : "NOT DECLARED"));
  } else {
    badges.append(el("span", {class: `badge b-${item.status}`}, item.status.toUpperCase()));
    badges.append(el("span", {class: "badge b-none"}, `${item.in_container} in container`));
  }
  const label = kind === "weapon" ? `${item.make} ${item.model}` : `${item.kind} ${item.caliber}`;
  const button = el("button", {type: "button", class: "item quiet", "data-item": item.id},
    el("span", {class: "title"}, el("strong", {}, item.id), " ", el("span", {class: "muted"}, label)),
    el("span", {class: "where"}, holder), badges);
  button.addEventListener("click", () => {
    root.dataset.busy = "1";
    $("offline-result").replaceChildren();
    serial(() => showCommands(kind, item.id, true))
      .catch((error) => say("refused", "Could not check the steps", String(error)))
      .finally(() => { delete root.dataset.busy; });
  });
  return el("li", {class: "card", id: `offline-${kind}-${item.id}`}, button);
}

function renderItems() {
  for (const [kind, list, id] of [["weapon", "weapons", "offline-weapons"], ["lot", "lots", "offline-lots"]]) {
    const box = $(id);
    box.replaceChildren();
    if (!view) continue;
    const items = Object.values(view[list] || {}).filter((i) => !i.removed);
    for (const item of items) box.append(itemCard(kind, item));
    if (!items.length) box.append(el("li", {class: "muted"}, `No ${list}.`));
  }
}

/* The catalogue's commands that act on an existing weapon or lot (not those that make one). */
const CREATES = new Set(["register_weapon", "receive_lot"]);
/* The day's steps on set that name no weapon or lot (not the record's administration). */
const DAY = new Set(["safety_meeting", "report_incident", "complain", "hold", "wrap"]);
/* What a performer gives about the weapon in their hands, typing their PIN here (ADR 0014). */
const BY_PIN = new Set(["fire", "report_misfire"]);
function normal(list) {
  return list.filter((c) => !CREATES.has(c.cmd)).map((c) => ({
    name: c.cmd, summary: c.summary, roles: c.who || [], fields: c.fields,
    observation: !!c.observation, byPin: BY_PIN.has(c.cmd),
    kinds: ["weapon", "lot"].filter((k) => c.fields.some((f) => f.name === k)),
  }));
}

/* The commands that name this kind of item (or the day's) and that one of my roles may give. */
function offered(kind) {
  return catalogue.filter((c) => (kind === "day" ? DAY.has(c.name) : c.kinds.includes(kind)) &&
    c.roles.some((r) => roles.includes(r)) && (!stale || c.observation));
}

/* The command a form's values make: who gives it, and a take-back's receiver. */
function commandOf(command, values, by) {
  const cmd = {cmd: command.name, production, by: command.takeBack || by || person, ...values};
  if (command.takeBack) cmd.to = person;
  return cmd;
}

/* Each offered step of the item, built from its form's usual values and decided by the domain. */
async function decideAll(kind, item, commands, todo) {
  const decided = [];
  for (const [index, command] of commands.entries()) {
    const form = buildForm(command, kind, item, {view, names: names(), production, person, todo});
    const step = {command, form, index, name: form.dataset.cmd, verdict: "next", why: ""};
    const {values, problem, by} = readForm(command, form);
    if (problem) {
      Object.assign(step, {verdict: "choose", why: problem});
    } else if (!stale && view) {
      const value = await domain.decide({...commandOf(command, values, by), at: SC.clock(new Date())});
      if (value.input_error) Object.assign(step, {verdict: "choose", why: value.input_error});
      else if (!value.ok) Object.assign(step, {verdict: "refused", why: `${value.rule}: ${value.message}`});
    }
    decided.push(step);
  }
  return decided;
}

/* An item's steps: those allowed now (the expected one open), those needing a value, those
   refused now with the domain's rule (still recordable: what happened is kept, refused). */
async function showCommands(kind, id, scroll) {
  const started = performance.now();
  const day = kind === "day";
  const item = view && (day ? {id} : (view[kind + "s"] || {})[id]);
  const box = $(day ? "offline-day" : "offline-form");
  if (!item) return box.replaceChildren();
  box.replaceChildren(el("h2", {}, day ? "The day" : `${item.id}: what happened`));
  box.dataset.item = `${kind}:${item.id}`;
  const commands = offered(kind).slice();
  if (!commands.length) {
    const what = day ? "the day" : "this item";
    box.append(el("p", {class: "muted"}, stale ? "Without a fresh snapshot only observations " +
      `are recorded, and none is offered for ${what}.` : `Nothing you may do for ${what}.`));
  }
  const handOver = commands.find((c) => c.name === "hand_over");
  if (handOver && item.held_by && item.held_by !== person) {
    /* A take-back: the holder gives it back, typing their own PIN on this phone. */
    commands.unshift({...handOver, title: `take back from ${nameOf(item.held_by)}`,
      takeBack: item.held_by, fields: handOver.fields.filter((f) => f.name !== "to")});
  }
  const bodies = (await SC.queueFor(production)).map((q) => JSON.parse(q.body));
  const todo = kind === "weapon" ? toShoot(view, item, bodies, today(view.timezone)) : [];
  const order = day ? dayOrder(view, today(view.timezone)) : expected(kind, item, person, roles, view, todo);
  const groups = grouped(await decideAll(kind, item, commands, todo), order);
  const known = {...names(), ...Object.fromEntries(Object.values(view.storages || {}).map((s) => [s.id, s.name]))};
  const sections = [["next", stale ? "Observations" : "Next"], ["choose", "Choose a value first"],
    ["refused", "Not allowed now"]];
  for (const [group, heading] of sections) {
    if (!groups[group].length) continue;
    box.append(el("h3", {class: `offline-group g-${group}`}, heading));
    for (const step of groups[group]) {
      const open = step === groups.next[0] && (!day || order[0] === step.name); /* the day: a meeting due */
      box.append(stepBox(step, kind, id, known, open));
    }
  }
  box.dataset.ms = String(Math.round(performance.now() - started)); /* every step decided */
  if (scroll) box.scrollIntoView({block: "start"});
}

/* One step: a line (with why it waits or is refused) that opens its form. */
function stepBox(step, kind, id, known, open) {
  const {command, form} = step;
  form.addEventListener("input", () => { form.dataset.typed = "1"; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    root.dataset.busy = "1";
    serial(() => record(command, form, kind, id))
      .catch((error) => say("refused", "Not recorded", String(error)))
      .finally(() => { delete root.dataset.busy; });
  });
  const title = form.querySelector("h3");
  const summary = el("summary", {}, title.textContent);
  if (step.why) summary.append(el("span", {class: "why"}, `— ${named(step.why, known)}`));
  title.remove();
  return el("details", {class: `offline-cmd v-${step.verdict}`, "data-cmd": form.dataset.cmd,
    "data-verdict": step.verdict, open}, summary, form);
}

function say(tone, title, text) {
  const box = el("div", {class: `result ${tone}`, id: "offline-said"}, el("h2", {}, title));
  if (text) box.append(el("p", {class: tone === "refused" ? "rule" : ""}, text));
  $("offline-result").replaceChildren(box);
  box.scrollIntoView({block: "center"});
}

/* "Check and record": decide in the worker, queue it signed, then let the local state move on. */
async function record(command, form, kind, id) {
  const {values, pins, problem, by} = readForm(command, form);
  if (problem) return say("refused", "Check the form", problem);
  if (command.byPin && by !== person && !pins[by]) {
    return say("refused", "Check the form", `${nameOf(by)} types their PIN on this phone.`);
  }
  const moment = new Date();
  const cmd = commandOf(command, values, by);
  if (command.takeBack) {
    if (pins.giver) pins[command.takeBack] = pins.giver;
    delete pins.giver;
  }
  const device = await SC.ensureDevice(production, person, "");
  let result;
  if (stale) {
    result = {checked: false};
    if (view) { /* an old state still knows a malformed step; the record decides the rest */
      const value = await domain.decide({...cmd, at: SC.clock(moment)});
      if (value.input_error) return say("refused", "Check the form", value.input_error);
    }
  } else {
    const value = await domain.decide({...cmd, at: SC.clock(moment)});
    if (value.input_error) return say("refused", "Check the form", value.input_error);
    result = value.ok ? {ok: true} : {ok: false, rule: value.rule, message: value.message};
  }
  const snap = kept ? kept.snapshot : null;
  await SC.enqueue(device, cmd, result, stale ? null : snap, pins, moment);
  if (!stale) await domain.apply({...cmd, at: SC.clock(moment)});
  form.dataset.done = "1";
  if (result.checked === false) {
    say("incident", "Kept as an observation", "Not checked: the snapshot is not fresh. The " +
      "record decides it at the next sync.");
  } else if (result.ok) {
    say("done", "Done (on this phone)", "Queued; the record decides it again at the next sync.");
  } else {
    say("refused", `Refused: ${result.rule}`, `${result.rule}: ${result.message}`);
  }
  fields.advance(command, values, production);
  view = stale ? view : await domain.view();
  await renderAll(false);
  await showCommands(kind, id, false); /* the local state moved on: the next step first */
  $("offline-result").scrollIntoView({block: "start"});
  SC.syncHere();
}

function answerText(item) {
  const a = item.answer;
  if (!a) return item.state === "waiting" ? "waiting to be sent" : item.state;
  const said = a.result || {};
  const why = [said.rule, said.message].filter(Boolean).join(": "); /* a phone's own: no rule */
  const verdict = a.status === "refused" ? `refused${why ? ` (${why})` : ""}` : a.status;
  return `${verdict}${a.entry !== null && a.entry !== undefined ? `, entry ${a.entry}` : ""}` +
    (a.agrees === false ? " · the record disagrees with this phone" : " · agrees");
}

async function renderQueue() {
  const list = $("offline-queue");
  list.replaceChildren();
  for (const item of (await SC.queueFor(production)).reverse()) {
    const body = JSON.parse(item.body);
    const c = body.command;
    const target = c.weapon || c.lot || "";
    const phone = body.result.checked === false ? "not checked (observation)" :
      body.result.ok ? "allowed here" : `refused here: ${body.result.rule}`;
    list.append(el("li", {class: `queued q-${item.state}`, "data-seq": String(item.seq),
      "data-state": item.state},
      el("strong", {}, `${item.was || item.seq}. ${c.cmd.replace(/_/g, " ")} ${target}`),
      el("span", {}, ` · ${phone} · `), el("span", {class: "answer"}, answerText(item))));
  }
}

async function renderAll(full = true) {
  if (full) {
    try {
      await rebuild();
    } catch (error) {
      $("offline-problem").hidden = false;
      $("offline-problem").textContent = `The rules could not start on this phone: ${error}`;
    }
  }
  await renderStatus();
  renderItems();
  /* the day's steps checked again, unless one is being filled in (a sync must not wipe it) */
  if (!$("offline-day").querySelector("form[data-typed]")) await showCommands("day", "today", false);
  await renderQueue();
  const device = await SC.device(production, person);
  const problem = $("offline-problem");
  if (device && (device.problem || device.revoked)) {
    problem.hidden = false;
    problem.textContent = device.revoked ? `${device.revoked.text}. They stay listed below; ` +
      "sign in again to give this phone a new key." : device.problem;
  }
}

$("offline-sync").addEventListener("click", () => SC.syncHere(true));
document.addEventListener("showclear:synced", () => serial(() => renderAll(true)));
window.addEventListener("online", () => renderStatus());
window.addEventListener("offline", () => renderStatus());
serial(() => renderAll(true)).then(() => { root.dataset.ready = "1"; });
