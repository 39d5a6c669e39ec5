"""A production mid-day where every command has a valid body for every role (the matrix's scene)."""

from __future__ import annotations

import base64
import hashlib
from itertools import count
from typing import Any

from e2e_support import NEXT_DAY, PRODUCTION, apply, at
from e2e_who import PERSON_OF, ROLES


class Scene:
    """The demo production on the next morning: items held by an armorer, a performer and an
    investigator, an open incident, a complaint, and an entry authored by every person."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.clock = count(1)
        self.own_entry: dict[str, int] = {}
        run = self.run
        run(
            "ad1",
            "plan_setup",
            setup="M1",
            date=NEXT_DAY,
            use="rehearsal",
            weapons=["W2"],
            performers=["perf1"],
            blanks=False,
            min_distance_ft=30,
            shields=False,
            muzzle_toward_person=False,
            mitigation="",
            approved_by="",
        )
        run("ad1", "safety_meeting", setup="M1", date=NEXT_DAY, attendees=["arm1", "ad1", "perf1"])
        run("arm1", "brief", performer="perf1", weapon="W2")
        run("arm1", "check_out", weapon="W2")
        run("arm1", "inspect", weapon="W2", chambers_checked=0, barrel_clear=True, found={})
        run("arm1", "declare", weapon="W2", status="cold", shown_to=["ad1", "perf1"])
        run("arm1", "hand_over", weapon="W2", to="perf1", acknowledged=True)
        run("arm1", "check_out", lot="D1")
        self.incident = run(
            "ad1", "report_incident", text="B1 box opened near W1", items=["B1", "W1"]
        )["incident"]
        run("inv1", "check_out", lot="B1")
        for role in ROLES:
            person = PERSON_OF[role]
            self.own_entry[role] = run(person, "complain", text=f"note from {person}")["seq"]
        self.complaint = self.service.state(PRODUCTION)["complaints"][0]["id"]

    def now(self) -> str:
        """The next moment of the day."""
        return at(next(self.clock))

    def run(self, by: str, cmd: str, **fields: Any) -> dict[str, Any]:
        """Apply one trusted command; it must take effect."""
        command = {"cmd": cmd, "production": PRODUCTION, "by": by, "at": self.now(), **fields}
        return apply(self.service, [command])[0]

    def body(self, cmd: str, role: str) -> dict[str, Any]:
        """A valid body of `cmd` for someone with `role` (ids unique per role where created)."""
        held = {
            "armorer": ("lot", "D1"),
            "performer": ("weapon", "W2"),
            "investigator": ("lot", "B1"),
        }
        kind, item = held.get(role, ("weapon", "W1"))
        bodies: dict[str, dict[str, Any]] = {
            "enroll": {"person": f"new-{role}", "name": "New Person", "roles": ["crew"]},
            "qualify": {
                "person": "perf2",
                "qualification": "firearms_training",
                "valid_until": "2026-12-31",
            },
            "add_storage": {"storage": f"S-{role}", "name": "Cage"},
            "register_weapon": {
                "weapon": f"W-{role}",
                "kind": "rubber",
                "make": "Prop",
                "model": "R1",
                "serial": f"R-{role}",
                "caliber": ".45 Colt",
                "capacity": 0,
                "source": "Rental house",
                "storage": "SAFE-A",
            },
            "receive_lot": {
                "lot": f"L-{role}",
                "kind": "dummy",
                "caliber": ".45 Colt",
                "count": 10,
                "supplier": "Rental house",
                "carried_over": False,
                "storage": "SAFE-A",
            },
            "verify_lot": {"lot": "D1", "checked": 50, "method": "rattle", "suspect": 0},
            "brief": {"performer": "perf2", "weapon": "W1"},
            "plan_setup": {
                "setup": f"P-{role}",
                "date": NEXT_DAY,
                "use": "take",
                "weapons": ["W1"],
                "performers": ["perf2"],
                "blanks": False,
                "min_distance_ft": 30,
                "shields": False,
                "muzzle_toward_person": False,
                "mitigation": "",
                "approved_by": "",
            },
            "safety_meeting": {
                "setup": "M1",
                "date": NEXT_DAY,
                "attendees": ["arm1", "ad1", "perf1"],
            },
            "check_out": {"weapon": "W1"},
            "inspect": {"weapon": "W1", "chambers_checked": 6, "barrel_clear": True, "found": {}},
            "load": {"weapon": "W1", "lot": "D1", "count": 1},
            "unload": {"weapon": "W1", "lot": "D1", "count": 1},
            "declare": {"weapon": "W1", "status": "cold", "shown_to": ["ad1"]},
            "announce": {"weapon": "W2", "status": "cold"},
            "hand_over": {
                kind: item,
                "to": "arm1" if role != "armorer" else "inv1",
                "acknowledged": False,
            },
            "fire": {"weapon": "W1", "setup": "12B", "take": 2, "rounds": 1},
            "report_misfire": {"weapon": "W1", "setup": "12B"},
            "report_unattended": {"weapon": "W1", "where": "props cart"},
            "report_live_round": {"where": "props cart", "count": 1},
            "put_away": {kind: item, "storage": "SAFE-A"},
            "dispose": {kind: item, "reason": "damaged", **({"count": 1} if kind == "lot" else {})},
            "count": {"lot": "D1", "on_hand": 50, "casings": 0, "witness": "safe1"},
            "wrap": {"date": NEXT_DAY},
            "hold": {"target": "weapon", "id": "W1", "reason": "check"},
            "release": {"target": "weapon", "id": "W1", "reason": "checked"},
            "report_incident": {"text": "near miss", "items": []},
            "close_incident": {"incident": self.incident, "finding": "box resealed and counted"},
            "report_incident_details": {"incident": self.incident, "site": "stage 4"},
            "complain": {"text": "too close to the muzzle"},
            "assess_risk": {
                "setup": "12B",
                "hazards": "blanks",
                "controls": "shields",
                "residual": "low",
                "affected": ["perf1", "perf2"],
                "endorsed_by": "arm1",
            },
            "test_fire": {"lot": "B1", "weapon": "W1", "rounds": 1, "result": "ok"},
            "acknowledge": {"complaint": self.complaint, "response": "distance doubled"},
            "register_device": _device(role),
            "revoke_device": {"device": "D-0000000000000000", "reason": "lost on set"},
            "correct": {
                "entry": self.own_entry[role],
                "reason": "typo",
                "fields": {"text": "fixed"},
            },
        }
        return {**bodies[cmd], "at": self.now()}


def _device(role: str) -> dict[str, Any]:
    """A register_device body with a key of its own per role (the id derived from it)."""
    raw = hashlib.sha256(role.encode()).digest()
    key = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    device = "D-" + hashlib.sha256(raw).hexdigest()[:16]
    return {"device": device, "key": key, "alg": "Ed25519"}
