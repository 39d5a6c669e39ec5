"""Stateful property test: random command sequences (valid and invalid) never break the invariants."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from showclear.domain import Meta, State, apply_recorded
from showclear.domain.replay import Replay
from showclear.ledger.encoding import canonical, decode

P = "prop1"
PEOPLE = {
    "prod1": ["producer"],
    "arm1": ["armorer"],
    "arm2": ["armorer"],
    "ad1": ["first_ad"],
    "safe1": ["safety_advisor"],
    "perf1": ["performer"],
    "perf2": ["performer"],
    "crew1": ["crew"],
    "inv1": ["investigator"],
}
WEAPONS = ["W1", "W2", "W3"]
LOTS = ["D1", "B1", "B2", "Q1"]
ACTORS = [*PEOPLE, "stranger"]
SETUPS = ["S1", "S2"]


def _setup_commands(day: str, protocol: int = 1) -> list[dict[str, Any]]:
    c: list[dict[str, Any]] = [
        {
            "cmd": "open_production",
            "by": "prod1",
            "name": "Property test",
            "timezone": "Europe/London",
            "protocol": protocol,
        }
    ]
    for pid, roles in PEOPLE.items():
        if pid != "prod1":
            c.append({"cmd": "enroll", "by": "prod1", "person": pid, "name": pid, "roles": roles})
    c += [
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm1",
            "qualification": "armorer_license",
            "valid_until": "2030-01-01",
        },
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm2",
            "qualification": "armorer_license",
            "valid_until": "2030-01-01",
        },
        {
            "cmd": "qualify",
            "by": "arm1",
            "person": "perf1",
            "qualification": "firearms_training",
            "valid_until": "2030-01-01",
        },
        {
            "cmd": "qualify",
            "by": "arm1",
            "person": "perf2",
            "qualification": "firearms_training",
            "valid_until": "2030-01-01",
        },
        {
            "cmd": "qualify",
            "by": "arm1",
            "person": "crew1",
            "qualification": "firearms_awareness",
            "valid_until": "2030-01-01",
        },
        {"cmd": "add_storage", "by": "arm1", "storage": "SAFE", "name": "Safe"},
        {"cmd": "add_storage", "by": "arm1", "storage": "TRUCK", "name": "Truck safe"},
        {
            "cmd": "register_weapon",
            "by": "arm1",
            "weapon": "W1",
            "kind": "firearm",
            "make": "Colt",
            "model": "SAA",
            "serial": "1",
            "caliber": ".45",
            "capacity": 6,
            "source": "rental",
            "storage": "SAFE",
        },
        {
            "cmd": "register_weapon",
            "by": "arm1",
            "weapon": "W2",
            "kind": "blank_firing",
            "make": "Bruni",
            "model": "92",
            "serial": "2",
            "caliber": ".45",
            "capacity": 5,
            "source": "rental",
            "storage": "SAFE",
        },
        {
            "cmd": "register_weapon",
            "by": "arm1",
            "weapon": "W3",
            "kind": "non_firing",
            "make": "Denix",
            "model": "SAA",
            "serial": "3",
            "caliber": ".45",
            "capacity": 0,
            "source": "rental",
            "storage": "SAFE",
        },
        {
            "cmd": "register_weapon",
            "by": "arm1",
            "weapon": "W4",
            "kind": "firearm",
            "make": "Colt",
            "model": "SAA",
            "serial": "4",
            "caliber": ".45",
            "capacity": 6,
            "source": "private collection",
            "storage": "SAFE",
            "theatrical_use": False,
        },
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": "D1",
            "kind": "dummy",
            "caliber": ".45",
            "count": 30,
            "supplier": "rental",
            "carried_over": False,
            "storage": "SAFE",
        },
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": "B1",
            "kind": "blank",
            "load": "quarter",
            "caliber": ".45",
            "count": 30,
            "supplier": "rental",
            "carried_over": False,
            "storage": "SAFE",
        },
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": "B2",
            "kind": "blank",
            "load": "half",
            "caliber": ".45",
            "count": 20,
            "supplier": "unknown",
            "carried_over": False,
            "storage": "TRUCK",
        },
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": "Q1",
            "kind": "dummy",
            "caliber": ".45",
            "count": 12,
            "supplier": "old show",
            "carried_over": True,
            "storage": "TRUCK",
        },
        {
            "cmd": "verify_lot",
            "by": "arm1",
            "lot": "D1",
            "checked": 30,
            "method": "rattle",
            "suspect": 0,
        },
    ]
    for perf in ("perf1", "perf2"):
        for w in WEAPONS:
            c.append({"cmd": "brief", "by": "arm1", "performer": perf, "weapon": w})
    c += [
        {
            "cmd": "plan_setup",
            "by": "ad1",
            "setup": "S1",
            "date": day,
            "use": "take",
            "weapons": ["W1", "W2", "W4"],
            "performers": ["perf1", "perf2"],
            "crew": ["crew1"],
            "blanks": True,
            "min_distance_ft": 25,
            "shields": True,
            "muzzle_toward_person": False,
            "mitigation": "",
            "approved_by": "arm1",
        },
        {
            "cmd": "plan_setup",
            "by": "ad1",
            "setup": "S2",
            "date": day,
            "use": "rehearsal",
            "weapons": ["W1", "W3"],
            "performers": ["perf1"],
            "blanks": False,
            "min_distance_ft": 30,
            "shields": False,
            "muzzle_toward_person": False,
            "mitigation": "",
            "approved_by": "",
        },
    ]
    if protocol == 2:
        c.append(
            {
                "cmd": "assess_risk",
                "by": "safe1",
                "setup": "S1",
                "hazards": "blanks at 25 ft",
                "controls": "shields",
                "residual": "low",
                "affected": ["perf1", "perf2", "crew1"],
                "endorsed_by": "arm1",
            }
        )
    c += [
        {
            "cmd": "safety_meeting",
            "by": "ad1",
            "setup": "S1",
            "date": day,
            "attendees": ["arm1", "ad1", "perf1", "perf2", "crew1"],
        },
        {
            "cmd": "safety_meeting",
            "by": "ad1",
            "setup": "S2",
            "date": day,
            "attendees": ["arm1", "ad1", "perf1"],
        },
    ]
    return c


item = st.sampled_from([*WEAPONS * 4, "W4", "W9"])
lot_id = st.sampled_from([*LOTS, *LOTS, "D1", "B1", "L9"])
who = st.sampled_from(ACTORS)
person_id = st.sampled_from(list(PEOPLE))
small = st.integers(min_value=0, max_value=7)
found = st.fixed_dictionaries(
    {},
    optional={
        "dummy": small,
        "blank": small,
        "live": st.integers(0, 1),
        "suspect": st.integers(0, 1),
    },
)
weapon_or_lot = st.one_of(item.map(lambda w: {"weapon": w}), lot_id.map(lambda lt: {"lot": lt}))

ROUTINE = st.one_of(
    st.builds(lambda i: {"cmd": "check_out", **i}, weapon_or_lot),
    st.builds(
        lambda w, n, b, f: {
            "cmd": "inspect",
            "weapon": w,
            "chambers_checked": n,
            "barrel_clear": b,
            "found": f,
        },
        item,
        small,
        st.booleans(),
        found,
    ),
    st.builds(
        lambda w, lt, n: {"cmd": "load", "weapon": w, "lot": lt, "count": n},
        item,
        lot_id,
        st.integers(1, 7),
    ),
    st.builds(
        lambda w, lt, n: {"cmd": "unload", "weapon": w, "lot": lt, "count": n},
        item,
        lot_id,
        st.integers(1, 7),
    ),
    st.builds(
        lambda w, s, p: {"cmd": "declare", "weapon": w, "status": s, "shown_to": p},
        item,
        st.sampled_from(["cold", "hot"]),
        st.lists(person_id, min_size=1, max_size=3),
    ),
    st.builds(
        lambda w, s: {"cmd": "announce", "weapon": w, "status": s},
        item,
        st.sampled_from(["cold", "hot"]),
    ),
    st.builds(
        lambda i, to, a: {"cmd": "hand_over", **i, "to": to, "acknowledged": a},
        weapon_or_lot,
        person_id,
        st.booleans(),
    ),
    st.builds(
        lambda i, s: {"cmd": "put_away", **i, "storage": s},
        weapon_or_lot,
        st.sampled_from(["SAFE", "TRUCK"]),
    ),
    st.builds(
        lambda lt, n: {
            "cmd": "verify_lot",
            "lot": lt,
            "checked": n,
            "method": "rattle",
            "suspect": 0,
        },
        lot_id,
        st.integers(0, 30),
    ),
    st.builds(
        lambda lt, a, c, w: {"cmd": "count", "lot": lt, "on_hand": a, "casings": c, "witness": w},
        lot_id,
        st.integers(0, 30),
        small,
        person_id,
    ),
    st.builds(
        lambda t, i: {"cmd": "release", "target": t, "id": i, "reason": "ok"},
        st.sampled_from(["weapon", "lot", "production"]),
        st.sampled_from([*WEAPONS, *LOTS, P]),
    ),
    st.builds(
        lambda i, n: {
            "cmd": "dispose",
            **i,
            **({"count": n} if "lot" in i else {}),
            "reason": "returned",
        },
        weapon_or_lot,
        st.integers(1, 5),
    ),
    st.builds(
        lambda i: {"cmd": "close_incident", "incident": i, "finding": "reviewed"},
        st.sampled_from(["I-1", "I-2", "I-3"]),
    ),
    st.builds(
        lambda: {
            "cmd": "safety_meeting",
            "date": "2026-05-04",
            "attendees": ["arm1", "ad1", "safe1"],
            "stand_down": True,
        }
    ),
    st.builds(lambda: {"cmd": "wrap", "date": "2026-05-04"}),
    st.builds(
        lambda lt, w, n, r: {"cmd": "test_fire", "lot": lt, "weapon": w, "rounds": n, "result": r},
        lot_id,
        item,
        st.integers(1, 3),
        st.sampled_from(["ok", "ok", "ok", "fail"]),
    ),
    st.builds(lambda f: {"cmd": "inspect", "weapon": "W1", "chamber": f}, small),  # malformed
)
DISRUPTIVE = st.one_of(
    st.builds(
        lambda w, s, t, r: {"cmd": "fire", "weapon": w, "setup": s, "take": t, "rounds": r},
        item,
        st.sampled_from(SETUPS),
        small,
        st.integers(1, 3),
    ),
    st.builds(
        lambda t, i, r: {"cmd": "hold", "target": t, "id": i, "reason": r},
        st.sampled_from(["weapon", "lot"]),
        st.sampled_from(WEAPONS + LOTS),
        st.just("check"),
    ),
    st.builds(lambda i: {"cmd": "report_unattended", **i, "where": "cart"}, weapon_or_lot),
    st.builds(lambda w: {"cmd": "report_misfire", "weapon": w, "setup": "S1"}, item),
)


def _without_bookkeeping(state: State) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(state)
    for key in ("size", "authors", "last_at"):
        data.pop(key)
    return data


class Production(RuleBasedStateMachine):
    """One production driven by random commands from random people."""

    PROTOCOL = 1

    def __init__(self) -> None:
        super().__init__()
        self.replay = Replay()
        self.clock = datetime.fromisoformat("2026-05-04T07:00:00+01:00")
        for c in _setup_commands("2026-05-04", self.PROTOCOL):
            result = self.run(c["by"], c)
            assert result["ok"], (c, result)

    def run(self, by: str, body: dict[str, Any]) -> dict[str, Any]:
        self.clock += timedelta(minutes=1)
        raw = {"production": P, "at": self.clock.isoformat(), **body, "by": by}
        return self.replay.run(raw)

    def _natural(self, data: st.DataObject, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Mostly the person who would really give this command, with sensible numbers."""
        s = self.replay.state
        cmd = body["cmd"]
        thing = s.weapons.get(body.get("weapon", "")) or s.lots.get(body.get("lot", ""))
        if (
            cmd in ("hand_over", "fire", "put_away", "unload", "load")
            and thing is not None
            and thing.held_by
        ):
            by = thing.held_by
        elif cmd in ("plan_setup", "announce"):
            by = "ad1"
        elif cmd in ("close_incident",):
            by = data.draw(st.sampled_from(["safe1", "prod1"]))
        elif cmd in ("release",):
            by = data.draw(st.sampled_from(["safe1", "arm1", "arm2"]))
        else:
            by = data.draw(st.sampled_from(["arm1", "arm1", "arm2"]))
        w = s.weapons.get(body.get("weapon", ""))
        if cmd == "inspect" and w is not None and "chambers_checked" in body:
            body["chambers_checked"] = w.capacity
            if data.draw(st.booleans()):
                kinds = {"dummy": 0, "blank": 0}
                for lid, n in w.contents.items():
                    kind = s.lots[lid].kind
                    if kind in kinds:
                        kinds[kind] += n
                body["found"] = {k: v for k, v in kinds.items() if v}
                body["barrel_clear"] = True
        if cmd == "hand_over" and data.draw(st.booleans()):
            body["acknowledged"] = True
        return by, body

    @rule(by=who, body=ROUTINE, minutes=st.integers(0, 30), data=st.data())
    def command(self, by: str, body: dict[str, Any], minutes: int, data: st.DataObject) -> None:
        if data.draw(st.integers(0, 9)) < 8:
            by, body = self._natural(data, dict(body))
        self.clock += timedelta(minutes=minutes)
        self.step(by, body)

    @rule(
        weapon=st.sampled_from(["W1", "W2", "W4"]),
        lot=st.sampled_from(["D1", "B1", "B2", "Q1"]),
        n=st.integers(1, 6),
        performer=st.sampled_from(["perf1", "perf2"]),
        fire=st.integers(0, 3),
        status=st.sampled_from(["cold", "hot"]),
    )
    def a_take(self, weapon: str, lot: str, n: int, performer: str, fire: int, status: str) -> None:
        """A realistic sequence: out, inspect, load, inspect, declare, hand over, fire, back, store."""
        s = self.replay.state
        w = s.weapons[weapon]
        steps: list[tuple[str, dict[str, Any]]] = [
            ("arm1", {"cmd": "check_out", "weapon": weapon}),
            ("arm1", {"cmd": "check_out", "lot": lot}),
            ("arm1", {"cmd": "load", "weapon": weapon, "lot": lot, "count": n}),
        ]
        for by, body in steps:
            if not self.step(by, body).get("ok"):
                return
        kinds = {"dummy": 0, "blank": 0}
        for lid, k in w.contents.items():
            if s.lots[lid].kind in kinds:
                kinds[s.lots[lid].kind] += k
        found = {k: v for k, v in kinds.items() if v}
        later: list[tuple[str, dict[str, Any]]] = [
            (
                "arm1",
                {
                    "cmd": "inspect",
                    "weapon": weapon,
                    "chambers_checked": w.capacity,
                    "barrel_clear": True,
                    "found": found,
                },
            ),
            (
                "arm1",
                {
                    "cmd": "declare",
                    "weapon": weapon,
                    "status": status,
                    "shown_to": ["ad1", performer],
                },
            ),
            ("ad1", {"cmd": "announce", "weapon": weapon, "status": status}),
            ("arm1", {"cmd": "hand_over", "weapon": weapon, "to": performer, "acknowledged": True}),
        ]
        if fire:
            later.append(
                (
                    performer,
                    {"cmd": "fire", "weapon": weapon, "setup": "S1", "take": 1, "rounds": fire},
                )
            )
        later += [
            (performer, {"cmd": "hand_over", "weapon": weapon, "to": "arm1", "acknowledged": True}),
            ("arm1", {"cmd": "unload", "weapon": weapon, "lot": lot, "count": n}),
            ("arm1", {"cmd": "put_away", "weapon": weapon, "storage": "SAFE"}),
            ("arm1", {"cmd": "put_away", "lot": lot, "storage": "SAFE"}),
        ]
        for by, body in later:
            if not self.step(by, body).get("ok"):
                return

    def step(self, by: str, body: dict[str, Any]) -> dict[str, Any]:
        """Run one command and check what must hold around it."""
        state = self.replay.state
        before = _without_bookkeeping(state)
        pre = msgspec.convert(msgspec.to_builtins(state), State)
        result = self.run(by, body)
        if result.get("rule") == "INPUT":
            assert _without_bookkeeping(self.replay.state) == before
            return result
        if not result["ok"] and body["cmd"] != "receive_lot":
            assert _without_bookkeeping(self.replay.state) == before, (body, result)
        if result["ok"] and body["cmd"] == "hand_over" and "weapon" in body:
            receiver = PEOPLE[body["to"]]
            if "performer" in receiver:
                w = pre.weapons[body["weapon"]]
                assert w.declaration is not None
                assert body["to"] in w.declaration.shown_to
                assert w.good_inspection_seq > w.changed_seq
        if result["ok"] and body["cmd"] == "load":
            lt = pre.lots[body["lot"]]
            assert lt.kind != "live"
            assert lt.status == "verified"
            if pre.protocol == 2 and lt.kind == "blank":  # AMMO-6
                assert lt.test_fires, (body, lt)
                assert lt.test_fires[-1].result == "ok", (body, lt)
        return result

    @rule(by=who, body=DISRUPTIVE, data=st.data())
    def something_goes_wrong(self, by: str, body: dict[str, Any], data: st.DataObject) -> None:
        """Now and then: a discharge, a hold, an unattended item, a misfire."""
        if data.draw(st.integers(0, 9)) == 7:
            self.step(by, body)

    @precondition(lambda self: self.replay.state.size % 7 == 0)
    @rule()
    def replaying_from_stored_entries_gives_the_same_state(self) -> None:
        rebuilt = State()
        for meta, events in self.replay.entries:
            stored = decode(canonical({"events": events}))["events"]
            apply_recorded(rebuilt, Meta(meta.seq, meta.at, meta.by), stored)
        assert msgspec.to_builtins(rebuilt) == msgspec.to_builtins(self.replay.state)

    @invariant()
    def every_weapon_is_stored_or_held_by_one_enrolled_person(self) -> None:
        s = self.replay.state
        for w in s.weapons.values():
            if w.removed:
                assert w.stored_in is None
                assert w.held_by is None
                continue
            assert (w.stored_in is None) != (w.held_by is None), w
            if w.held_by is not None:
                assert w.held_by in s.people
            else:
                assert w.stored_in in s.storages

    @invariant()
    def every_round_is_accounted_for(self) -> None:
        s = self.replay.state
        in_weapons: dict[str, int] = {}
        for w in s.weapons.values():
            assert sum(w.contents.values()) <= w.capacity
            for lid, n in w.contents.items():
                assert n > 0
                in_weapons[lid] = in_weapons.get(lid, 0) + n
        for lt in s.lots.values():
            for n in (lt.in_container, lt.in_weapons, lt.fired, lt.removed):
                assert n >= 0, lt
            assert lt.received == lt.in_container + lt.in_weapons + lt.fired + lt.removed, lt
            assert lt.in_weapons == in_weapons.get(lt.id, 0), lt

    @invariant()
    def performers_hold_only_what_was_shown_to_them(self) -> None:
        s = self.replay.state
        for w in s.weapons.values():
            holder = s.people.get(w.held_by or "")
            if holder is not None and "performer" in holder.roles and w.declaration is not None:
                assert w.held_by in w.declaration.shown_to

    @invariant()
    def no_blank_is_in_a_weapon_from_a_lot_never_passing_a_test_fire(self) -> None:
        s = self.replay.state
        if s.protocol != 2:
            return
        for w in s.weapons.values():
            for lid in w.contents:
                lt = s.lots[lid]
                if lt.kind == "blank":
                    assert any(t.result == "ok" for t in lt.test_fires), (w, lt)

    @invariant()
    def a_weapon_not_for_theatrical_use_is_held_only_by_an_investigator(self) -> None:
        s = self.replay.state
        if s.protocol != 2:
            return
        for w in s.weapons.values():
            if not w.theatrical_use and w.held_by is not None:
                assert "investigator" in s.people[w.held_by].roles, w


class RegulatedProduction(Production):
    """The same production opened under protocol 2."""

    PROTOCOL = 2


SETTINGS = settings(
    max_examples=100,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
Production.TestCase.settings = SETTINGS
RegulatedProduction.TestCase.settings = SETTINGS
TestProduction = Production.TestCase
TestRegulatedProduction = RegulatedProduction.TestCase
