/* The console's order of an item's steps, as the online item pages choose them (pages/nextstep.py):
   the step the protocol expects next first, then the others the domain allows now, then those
   that need a value chosen, then those it refuses now with its rule and message. */

/* Whether a declaration stands that was made after the last inspection. */
function declaredFresh(item) {
  const declared = item.declaration;
  if (!declared) return false;
  return declared.seq > ((item.last_inspection || {}).seq ?? -1);
}

/* Today's setups with the weapon not shot yet: those past the hand-overs to a performer this
   phone made today (the phone knows only its own; the snapshot's are before the day began). */
export function toShoot(view, weapon, bodies, day) {
  const performer = (p) => ((view.people || {})[p] || {roles: []}).roles.includes("performer");
  const used = bodies.filter((b) => b.command.cmd === "hand_over" && b.command.weapon === weapon.id &&
    performer(b.command.to) && !performer(b.command.by) && b.result.ok &&
    String(b.device_at).startsWith(day)).length;
  const setups = Object.values(view.setups || {});
  return setups.filter((s) => s.date === day && s.weapons.includes(weapon.id)).slice(used);
}

/* What an armorer holding the weapon does next, most expected first (pages/nextstep.py). */
function armorerSteps(item, view, todo) {
  if (item.condition !== "verified") return ["inspect"];
  if (declaredFresh(item)) return ["hand_over"];
  if (!todo.length) return ["put_away", "unload"];
  const blanks = !!todo[0].blanks && item.capacity > 0;
  const kinds = Object.keys(item.contents || {}).map((lot) => ((view.lots || {})[lot] || {}).kind);
  if (kinds.length && kinds.includes("blank") !== blanks) return ["unload"];
  if (!kinds.length && item.capacity > 0) return ["load", "declare"];
  return ["declare"];
}

/* The steps expected next on this item for this person, most expected first. */
export function expected(kind, item, me, roles, view, todo) {
  const holder = item.held_by;
  if (kind === "lot") {
    if (holder === me) return ["put_away", "hand_over"];
    return holder ? ["take_back"] : ["check_out", "count"];
  }
  if (holder && holder === me) return roles.includes("armorer") ? armorerSteps(item, view, todo) : ["fire", "hand_over"];
  if (holder) {
    const hot = item.declaration && item.declaration.status === "hot";
    return hot ? ["fire", "take_back", "report_misfire"] : ["take_back"];
  }
  return ["check_out"];
}

/* The day's steps, most expected first: the safety meeting until one that counts is recorded. */
export function dayOrder(view, day) {
  const met = ((view.meetings || {})[day] || []).some((m) => m.complete && m.recorded_on === day);
  const rest = ["report_incident", "complain", "hold"];
  return met ? [...rest, "wrap"] : ["safety_meeting", ...rest];
}

/* The decided steps in three groups: allowed now (expected first), needing a value, refused. */
export function grouped(decided, order) {
  const rank = (step) => {
    const at = order.indexOf(step.name);
    return at < 0 ? order.length : at;
  };
  const byRank = (a, b) => rank(a) - rank(b) || a.index - b.index;
  return {
    next: decided.filter((s) => s.verdict === "next").sort(byRank),
    choose: decided.filter((s) => s.verdict === "choose").sort(byRank),
    refused: decided.filter((s) => s.verdict === "refused"),
  };
}

/* A message with the names the phone knows for the ids in it (people, storages). */
export function named(text, names) {
  return String(text || "").replace(/[A-Za-z0-9][A-Za-z0-9_-]*/g, (word) => names[word] || word);
}
