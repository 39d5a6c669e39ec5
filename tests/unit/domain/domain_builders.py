"""A production on a shooting day, driven command by command through the pure domain."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec

from showclear.domain.replay import Replay
from showclear.domain.state import State, dump_state

PRODUCTION = "western1"
DAY = "2026-03-02"
START = "2026-03-02T07:00:00-07:00"
COLT = ".45 Colt"

# Bookkeeping every entry changes, refused or not.
_BOOKKEEPING = ("size", "authors", "last_at", "keys")


def snapshot(state: State) -> dict[str, Any]:
    """The state as plain data, without the bookkeeping every entry changes."""
    data: dict[str, Any] = msgspec.json.decode(dump_state(state))
    for key in _BOOKKEEPING:
        data.pop(key)
    return data


class Production:
    """One production: commands are filled with production, by and a clock one minute apart."""

    def __init__(self, production: str = PRODUCTION, start: str = START) -> None:
        self.production = production
        self.replay = Replay()
        self.clock = datetime.fromisoformat(start)

    @property
    def state(self) -> State:
        """The domain state so far."""
        return self.replay.state

    def now(self) -> str:
        """The `at` the next command gets."""
        return self.clock.isoformat()

    def wait(self, minutes: float) -> None:
        """Let time pass (on top of the minute every command takes)."""
        self.clock += timedelta(minutes=minutes)

    def raw(self, cmd: str, by: str, **fields: Any) -> dict[str, Any]:
        """A raw command as the machine interface takes it; advances the clock."""
        raw = {"cmd": cmd, "production": self.production, "by": by, "at": self.now(), **fields}
        self.clock += timedelta(minutes=1)
        return raw

    def run(self, cmd: str, by: str, **fields: Any) -> dict[str, Any]:
        """Run one command; its result."""
        return self.replay.run(self.raw(cmd, by, **fields))

    def ok(self, cmd: str, by: str, **fields: Any) -> dict[str, Any]:
        """Run a command that must take effect."""
        result = self.run(cmd, by, **fields)
        assert result["ok"] is True, f"{cmd} by {by} was not accepted: {result}"
        return result

    def refused(self, rule: str, cmd: str, by: str, **fields: Any) -> dict[str, Any]:
        """Run a command that `rule` must refuse, recorded and changing nothing."""
        before, size = snapshot(self.state), self.state.size
        result = self.run(cmd, by, **fields)
        assert result["ok"] is False, f"{cmd} by {by} was accepted: {result}"
        assert result.get("rule") == rule, f"{cmd} by {by}: expected {rule}, got {result}"
        assert result["seq"] == size, "a refusal is recorded as the next entry"
        assert self.state.size == size + 1
        assert snapshot(self.state) == before, f"refused {cmd} changed the state"
        return result

    def invalid(self, field: str | None, cmd: str, by: str, **fields: Any) -> dict[str, Any]:
        """Run a malformed command: INPUT naming `field`, nothing written."""
        return self.invalid_raw(field, self.raw(cmd, by, **fields))

    def invalid_raw(self, field: str | None, raw: Any) -> dict[str, Any]:
        """Run a malformed raw command: INPUT naming `field`, nothing written."""
        before, size = snapshot(self.state), self.state.size
        result = self.replay.run(raw)
        assert result == {"ok": False, "rule": "INPUT", "message": result.get("message")}, result
        if field is not None:
            assert f"'{field}'" in result["message"], result["message"]
        assert self.state.size == size
        assert snapshot(self.state) == before
        return result

    def incident(self, result: dict[str, Any], rule: str) -> str:
        """The id of the incident a result opened, checked to name `rule` and to be open."""
        assert "incident" in result, f"no incident opened: {result}"
        assert result["rule"] == rule, result
        inc = self.state.incidents[result["incident"]]
        assert inc.rule == rule
        assert inc.open
        return str(result["incident"])

    # --- queries -------------------------------------------------------------------------------

    def holds_on(self, target: str, tid: str) -> list[str]:
        """Ids of the active holds on a target."""
        return [h.id for h in self.state.holds if h.target == target and h.target_id == tid]

    def declared(self, weapon: str) -> str:
        """A weapon's standing declaration, or "none"."""
        d = self.state.weapons[weapon].declaration
        return d.status if d else "none"

    # --- common sequences ----------------------------------------------------------------------

    def enroll(self, person: str, *roles: str) -> None:
        """The producer enrolls someone."""
        self.ok("enroll", "prod1", person=person, name=person.title(), roles=list(roles))

    def qualify(self, person: str, qualification: str, until: str = "2026-12-31") -> None:
        """The producer records a qualification."""
        self.ok("qualify", "prod1", person=person, qualification=qualification, valid_until=until)

    def register(self, weapon: str, kind: str = "firearm", capacity: int = 6, **extra: Any) -> None:
        """arm1 registers a weapon into SAFE-A."""
        fields = {
            "weapon": weapon,
            "kind": kind,
            "make": "Pietta",
            "model": "1873 SA",
            "serial": f"SN-{weapon}",
            "caliber": COLT,
            "capacity": capacity,
            "source": "Rental house",
            "storage": "SAFE-A",
        }
        self.ok("register_weapon", "arm1", **{**fields, **extra})

    def receive(self, lot: str, kind: str, count: int = 50, **extra: Any) -> dict[str, Any]:
        """arm1 receives a lot into SAFE-A (a live lot is refused)."""
        fields: dict[str, Any] = {
            "lot": lot,
            "kind": kind,
            "caliber": COLT,
            "count": count,
            "supplier": "Rental house",
            "carried_over": False,
            "storage": "SAFE-A",
        }
        if kind == "blank":
            fields["load"] = "quarter"
        return self.run("receive_lot", "arm1", **{**fields, **extra})

    def plan(self, setup: str, weapons: list[str], performers: list[str], **extra: Any) -> None:
        """ad1 plans a setup for today, far from people and approved by arm1."""
        fields = {
            "setup": setup,
            "date": DAY,
            "use": "take",
            "weapons": weapons,
            "performers": performers,
            "blanks": False,
            "min_distance_ft": 30,
            "shields": False,
            "muzzle_toward_person": False,
            "mitigation": "",
            "approved_by": "arm1",
        }
        self.ok("plan_setup", "ad1", **{**fields, **extra})

    def meeting(self, setup: str, attendees: list[str], by: str = "ad1") -> None:
        """A safety meeting today for a setup."""
        self.ok("safety_meeting", by, setup=setup, date=DAY, attendees=attendees)

    def inspect(self, weapon: str, by: str = "arm1", **found: int) -> dict[str, Any]:
        """A full inspection finding `found` with a clear barrel."""
        capacity = self.state.weapons[weapon].capacity
        return self.run(
            "inspect",
            by,
            weapon=weapon,
            chambers_checked=capacity,
            barrel_clear=True,
            found=found,
        )

    def found_now(self, weapon: str) -> dict[str, int]:
        """What a truthful inspection of a weapon finds."""
        out: dict[str, int] = {}
        for lid, n in self.state.weapons[weapon].contents.items():
            kind = self.state.lots[lid].kind
            out[kind] = out.get(kind, 0) + n
        return out

    def verified(self, weapon: str, by: str = "arm1") -> None:
        """A full inspection that matches the record."""
        result = self.inspect(weapon, by, **self.found_now(weapon))
        assert result == {"ok": True, "event": "weapon_inspected", "seq": result["seq"]}, result

    def out(self, item: str, by: str = "arm1") -> None:
        """arm1 checks a weapon (W*) or lot out of storage."""
        key = "weapon" if item.startswith("W") else "lot"
        self.ok("check_out", by, **{key: item})

    def load(self, weapon: str, lot: str, count: int, by: str = "arm1") -> None:
        """Load rounds."""
        self.ok("load", by, weapon=weapon, lot=lot, count=count)

    def declare(self, weapon: str, status: str, shown_to: list[str], by: str = "arm1") -> None:
        """An armorer's declaration."""
        self.ok("declare", by, weapon=weapon, status=status, shown_to=shown_to)

    def give(self, weapon: str, to: str, by: str = "arm1") -> None:
        """An acknowledged hand-over."""
        self.ok("hand_over", by, weapon=weapon, to=to, acknowledged=True)

    def ready(self, weapon: str = "W1", lot: str = "D1", count: int = 6) -> None:
        """arm1 checks out the weapon and lot, loads, inspects: ready to declare."""
        self.out(weapon)
        self.verified(weapon)
        if self.state.lots[lot].held_by != "arm1":
            self.out(lot)
        self.load(weapon, lot, count)
        self.verified(weapon)

    def arm(self, performer: str = "perf1", weapon: str = "W1", hot: bool = False) -> None:
        """Ready, declare (cold with dummies or hot with two blanks) and hand to a performer."""
        if hot:
            self.ready(weapon, "B1", 2)
        else:
            self.ready(weapon, "D1", 6)
        self.declare(weapon, "hot" if hot else "cold", ["ad1", performer])
        self.give(weapon, performer)


def shooting_day(**open_fields: Any) -> Production:
    """The normal day's production, set up to the safety meetings (nothing checked out yet).

    People: prod1 (producer), arm1 (armorer, licensed), ad1, safe1, perf1 and perf2 (trained),
    crew1, inv1 (investigator). SAFE-A holds W1 (firearm, 6, .45 Colt), W2 (non_firing),
    W3 (blank_firing, 6, .45 Colt), D1 (dummies, verified), B1 (blanks, named supplier).
    Setups for today: 12A rehearsal W1/perf1, no blanks; 12B take W1 W2 W3/perf1 perf2, blanks
    at 25 ft with shields. perf1 is briefed on W1, perf2 on W2 and W3; both meetings complete.
    """
    p = Production()
    p.ok("open_production", "prod1", name="Western One", timezone="America/Denver", **open_fields)
    for person, role in (
        ("arm1", "armorer"),
        ("ad1", "first_ad"),
        ("safe1", "safety_advisor"),
        ("perf1", "performer"),
        ("perf2", "performer"),
        ("crew1", "crew"),
        ("inv1", "investigator"),
    ):
        p.enroll(person, role)
    p.qualify("arm1", "armorer_license", "2027-01-01")
    p.qualify("perf1", "firearms_training")
    p.qualify("perf2", "firearms_training")
    p.ok("add_storage", "arm1", storage="SAFE-A", name="Armory truck safe")
    p.register("W1")
    p.register("W2", kind="non_firing", capacity=0, make="Denix", model="1873 replica")
    p.register("W3", kind="blank_firing", make="Chiappa", model="1873 blank")
    assert p.receive("D1", "dummy")["ok"]
    assert p.receive("B1", "blank")["ok"]
    p.ok("verify_lot", "arm1", lot="D1", checked=50, method="rattle, drilled case", suspect=0)
    p.ok("brief", "arm1", performer="perf1", weapon="W1")
    p.ok("brief", "arm1", performer="perf2", weapon="W2")
    p.ok("brief", "arm1", performer="perf2", weapon="W3")
    p.plan("12A", ["W1"], ["perf1"], use="rehearsal")
    p.plan(
        "12B",
        ["W1", "W2", "W3"],
        ["perf1", "perf2"],
        blanks=True,
        min_distance_ft=25,
        shields=True,
        mitigation="camera behind shield",
    )
    p.meeting("12A", ["arm1", "ad1", "perf1", "crew1"])
    p.meeting("12B", ["arm1", "ad1", "perf1", "perf2", "safe1", "crew1"])
    return p


def check_invariants(p: Production) -> None:
    """Rounds are all accounted for, nothing goes negative or over capacity, refolding agrees."""
    s = p.state
    for lot in s.lots.values():
        assert lot.received == lot.in_container + lot.in_weapons + lot.fired + lot.removed, lot
        assert min(lot.in_container, lot.in_weapons, lot.fired, lot.removed) >= 0, lot
        in_weapons = sum(w.contents.get(lot.id, 0) for w in s.weapons.values())
        assert in_weapons == lot.in_weapons, lot
        assert (lot.stored_in is None) != (lot.held_by is None), lot
    for w in s.weapons.values():
        assert all(n > 0 for n in w.contents.values()), w
        assert sum(w.contents.values()) <= w.capacity, w
        if not w.removed:
            assert (w.stored_in is None) != (w.held_by is None), w
    assert dump_state(p.replay.rebuilt()) == dump_state(s), "refolding the entries disagrees"


def two_weapons_from_d1(day):
    """W1 (cold, with perf1) and W4 (in arm1's hands) loaded from D1; W3 loaded with blanks."""
    day.register("W4")
    day.plan("12D", ["W4"], ["perf2"])
    day.meeting("12D", ["arm1", "ad1", "perf2"])
    day.arm("perf1")
    day.out("W4")
    day.load("W4", "D1", 3)
    day.out("W3")
    day.out("B1")
    day.load("W3", "B1", 2)
