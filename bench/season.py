"""A realistic season generator: shooting days of the normal-day shape, several weapons and performers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

PRODUCTION = "season1"
WEAPONS = [f"W{i}" for i in range(1, 7)]
PERFORMERS = [f"perf{i}" for i in range(1, 7)]
CREW = "cam1"  # protocol 2 seasons only


def opening(protocol: int = 1) -> list[dict[str, Any]]:
    """Open the production, enroll the cast and crew, register weapons and receive ammunition."""
    at = "2026-01-04T06:00:00-08:00"
    c: list[dict[str, Any]] = [
        {
            "cmd": "open_production",
            "by": "prod1",
            "name": "Season",
            "timezone": "America/Los_Angeles",
            **({"protocol": 2} if protocol == 2 else {}),
        },
        {
            "cmd": "enroll",
            "by": "prod1",
            "person": "arm1",
            "name": "Key Armorer",
            "roles": ["armorer"],
        },
        {
            "cmd": "enroll",
            "by": "prod1",
            "person": "arm2",
            "name": "Assistant Armorer",
            "roles": ["armorer"],
        },
        {
            "cmd": "enroll",
            "by": "prod1",
            "person": "ad1",
            "name": "First AD",
            "roles": ["first_ad"],
        },
        {
            "cmd": "enroll",
            "by": "prod1",
            "person": "safe1",
            "name": "Safety",
            "roles": ["safety_advisor"],
        },
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm1",
            "qualification": "armorer_license",
            "valid_until": "2099-01-01",
        },
        {
            "cmd": "qualify",
            "by": "prod1",
            "person": "arm2",
            "qualification": "armorer_license",
            "valid_until": "2099-01-01",
        },
        {"cmd": "add_storage", "by": "arm1", "storage": "SAFE-A", "name": "Truck safe"},
    ]
    if protocol == 2:  # the camera operator is called to every setup (TRAIN-1, SAFE-1)
        c.append(
            {"cmd": "enroll", "by": "prod1", "person": CREW, "name": "Camera", "roles": ["crew"]}
        )
        c.append(
            {
                "cmd": "qualify",
                "by": "arm1",
                "person": CREW,
                "qualification": "firearms_awareness",
                "valid_until": "2099-01-01",
            }
        )
    for p in PERFORMERS:
        c.append({"cmd": "enroll", "by": "prod1", "person": p, "name": p, "roles": ["performer"]})
        c.append(
            {
                "cmd": "qualify",
                "by": "arm1",
                "person": p,
                "qualification": "firearms_training",
                "valid_until": "2099-01-01",
            }
        )
    for w in WEAPONS:
        c.append(
            {
                "cmd": "register_weapon",
                "by": "arm1",
                "weapon": w,
                "kind": "firearm",
                "make": "Pietta",
                "model": "1873",
                "serial": f"S-{w}",
                "caliber": ".45 Colt",
                "capacity": 6,
                "source": "Rental",
                "storage": "SAFE-A",
            }
        )
    for p in PERFORMERS:
        c.append({"cmd": "brief", "by": "arm1", "performer": p, "weapon": "W1"})
    return [{"production": PRODUCTION, "at": at, **x} for x in c]


def day(n: int, protocol: int = 1) -> list[dict[str, Any]]:
    """Shooting day number n: receive, verify, plan, meet, load, declare, hand over, fire, count, wrap.

    Under protocol 2 the setups list a crew member, the take with blanks is assessed before its
    meeting, and the blank lot is test-fired (one round) before it is loaded.
    """
    regulated = protocol == 2
    crew = [CREW] if regulated else []
    tested = 1 if regulated else 0
    d = date(2026, 1, 5) + timedelta(days=n)
    clock = datetime(d.year, d.month, d.day, 7, 0)
    w = WEAPONS[n % len(WEAPONS)]
    p1, p2 = PERFORMERS[n % len(PERFORMERS)], PERFORMERS[(n + 1) % len(PERFORMERS)]
    dl, bl, s1, s2 = f"D{n}", f"B{n}", f"{n}A", f"{n}B"

    def inspect(found: dict[str, int]) -> dict[str, Any]:
        """A full inspection of the day's weapon by the armorer."""
        return {
            "cmd": "inspect",
            "by": "arm1",
            "weapon": w,
            "chambers_checked": 6,
            "barrel_clear": True,
            "found": found,
        }

    steps: list[dict[str, Any]] = [
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": dl,
            "kind": "dummy",
            "caliber": ".45 Colt",
            "count": 12,
            "supplier": "Rental",
            "carried_over": False,
            "storage": "SAFE-A",
        },
        {
            "cmd": "receive_lot",
            "by": "arm1",
            "lot": bl,
            "kind": "blank",
            "load": "quarter",
            "caliber": ".45 Colt",
            "count": 12,
            "supplier": "Rental",
            "carried_over": False,
            "storage": "SAFE-A",
        },
        {
            "cmd": "verify_lot",
            "by": "arm1",
            "lot": dl,
            "checked": 12,
            "method": "rattle",
            "suspect": 0,
        },
        {
            "cmd": "plan_setup",
            "by": "ad1",
            "setup": s1,
            "date": d.isoformat(),
            "use": "rehearsal",
            "weapons": [w],
            "performers": [p1],
            "blanks": False,
            "min_distance_ft": 30,
            "shields": False,
            "muzzle_toward_person": False,
            "mitigation": "",
            "approved_by": "arm1",
            **({"crew": crew} if regulated else {}),
        },
        {
            "cmd": "plan_setup",
            "by": "ad1",
            "setup": s2,
            "date": d.isoformat(),
            "use": "take",
            "weapons": [w],
            "performers": [p1, p2],
            "blanks": True,
            "min_distance_ft": 25,
            "shields": True,
            "muzzle_toward_person": False,
            "mitigation": "shield",
            "approved_by": "arm1",
            **({"crew": crew} if regulated else {}),
        },
        *(
            [
                {
                    "cmd": "assess_risk",
                    "by": "safe1",
                    "setup": s2,
                    "hazards": "blanks at 25 ft",
                    "controls": "shield; ear protection",
                    "residual": "low",
                    "affected": [p1, p2, *crew],
                    "endorsed_by": "arm1",
                }
            ]
            if regulated
            else []
        ),
        {
            "cmd": "safety_meeting",
            "by": "ad1",
            "setup": s1,
            "date": d.isoformat(),
            "attendees": ["arm1", "ad1", p1, *crew],
        },
        {
            "cmd": "safety_meeting",
            "by": "ad1",
            "setup": s2,
            "date": d.isoformat(),
            "attendees": ["arm1", "ad1", p1, p2, "safe1", *crew],
        },
        {"cmd": "check_out", "by": "arm1", "weapon": w},
        inspect({}),
        {"cmd": "check_out", "by": "arm1", "lot": dl},
        {"cmd": "load", "by": "arm1", "weapon": w, "lot": dl, "count": 6},
        inspect({"dummy": 6}),
        {"cmd": "declare", "by": "arm1", "weapon": w, "status": "cold", "shown_to": ["ad1", p1]},
        {"cmd": "announce", "by": "ad1", "weapon": w, "status": "cold"},
        {"cmd": "hand_over", "by": "arm1", "weapon": w, "to": p1, "acknowledged": True},
        {"cmd": "hand_over", "by": p1, "weapon": w, "to": "arm1", "acknowledged": True},
        inspect({"dummy": 6}),
        {"cmd": "unload", "by": "arm1", "weapon": w, "lot": dl, "count": 6},
        inspect({}),
        {"cmd": "check_out", "by": "arm1", "lot": bl},
        *(
            [
                {
                    "cmd": "test_fire",
                    "by": "arm1",
                    "lot": bl,
                    "weapon": w,
                    "rounds": tested,
                    "result": "ok",
                },
                inspect({}),
            ]
            if regulated
            else []
        ),
        {"cmd": "load", "by": "arm1", "weapon": w, "lot": bl, "count": 2},
        inspect({"blank": 2}),
        {"cmd": "declare", "by": "arm1", "weapon": w, "status": "hot", "shown_to": ["ad1", p1]},
        {"cmd": "announce", "by": "ad1", "weapon": w, "status": "hot"},
        {"cmd": "hand_over", "by": "arm1", "weapon": w, "to": p1, "acknowledged": True},
        {"cmd": "fire", "by": p1, "weapon": w, "setup": s2, "take": 1, "rounds": 2},
        {"cmd": "hand_over", "by": p1, "weapon": w, "to": "arm1", "acknowledged": True},
        inspect({}),
        {"cmd": "put_away", "by": "arm1", "weapon": w, "storage": "SAFE-A"},
        {"cmd": "put_away", "by": "arm1", "lot": dl, "storage": "SAFE-A"},
        {"cmd": "put_away", "by": "arm1", "lot": bl, "storage": "SAFE-A"},
        {"cmd": "count", "by": "arm1", "lot": dl, "on_hand": 12, "casings": 0, "witness": "safe1"},
        {
            "cmd": "count",
            "by": "arm1",
            "lot": bl,
            "on_hand": 10 - tested,
            "casings": 2 + tested,
            "witness": "safe1",
        },
        {
            "cmd": "dispose",
            "by": "arm1",
            "lot": dl,
            "count": 12,
            "reason": "returned to rental house",
        },
        {
            "cmd": "dispose",
            "by": "arm1",
            "lot": bl,
            "count": 10 - tested,
            "reason": "returned to rental house",
        },
    ]
    out = []
    for i, s in enumerate(steps):
        at = (clock + timedelta(minutes=i)).isoformat() + "-08:00"
        out.append({"production": PRODUCTION, "at": at, **s})
    # the lots of earlier days are all back with the supplier: counting them is no longer needed
    out.append(
        {
            "production": PRODUCTION,
            "at": (clock + timedelta(minutes=len(steps))).isoformat() + "-08:00",
            "cmd": "wrap",
            "by": "arm1",
            "date": d.isoformat(),
        }
    )
    return out


def season(entries: int, protocol: int = 1) -> Iterator[dict[str, Any]]:
    """Commands of a season of at least `entries` commands, under protocol 1 or 2."""
    n = 0
    for c in opening(protocol):
        n += 1
        yield c
    d = 0
    while n < entries:
        for c in day(d, protocol):
            n += 1
            yield c
        d += 1
