"""Folds of the record's events: holds, incidents, complaints, corrections."""

from __future__ import annotations

import msgspec

from showclear.domain import events as ev
from showclear.domain.folds.base import Meta, unverify
from showclear.domain.state import Complaint, Correction, HoldRecord, Incident, State


def hold_placed(s: State, e: ev.HoldPlaced, m: Meta) -> None:
    s.counters["H"] = s.counters.get("H", 0) + 1
    s.holds.append(
        HoldRecord(
            id=e.hold,
            target=e.target,
            target_id=e.id,
            reason=e.reason,
            by=m.by,
            seq=m.seq,
            incident=e.incident,
            needs=list(e.needs),
        )
    )


def hold_release_signed(s: State, e: ev.HoldReleaseSigned, m: Meta) -> None:
    for h in s.holds:
        if h.id == e.hold:
            h.released_by[e.role] = e.person


def hold_released(s: State, e: ev.HoldReleased, m: Meta) -> None:
    s.holds = [h for h in s.holds if h.id != e.hold]


def incident_opened(s: State, e: ev.IncidentOpened, m: Meta) -> None:
    s.counters["I"] = s.counters.get("I", 0) + 1
    s.open_incidents.append(e.incident)
    s.incidents[e.incident] = Incident(
        id=e.incident,
        rule=e.rule,
        text=e.text,
        seq=m.seq,
        at=m.at,
        weapons=list(e.weapons),
        lots=list(e.lots),
        needs_stand_down=e.needs_stand_down,
    )
    if e.rule == "AMMO-1":
        for lid in e.lots:
            s.lots[lid].status = "evidence"
        # A weapon tied to a live or suspect round is no longer known cold or hot (ADR 0002).
        for wid in e.weapons:
            w = s.weapons[wid]
            unverify(w, m)
            w.declaration = None


def incident_signed(s: State, e: ev.IncidentSigned, m: Meta) -> None:
    s.incidents[e.incident].closes[e.role] = {"by": m.by, "finding": e.finding, "at": m.at}


def incident_closed(s: State, e: ev.IncidentClosed, m: Meta) -> None:
    s.incidents[e.incident].open = False
    s.open_incidents.remove(e.incident)


def incident_details_recorded(s: State, e: ev.IncidentDetailsRecorded, m: Meta) -> None:
    given = {k: v for k, v in msgspec.structs.asdict(e).items() if k not in ("incident", "v") and v}
    s.incident_details.setdefault(e.incident, {}).update(given)


def complaint_filed(s: State, e: ev.ComplaintFiled, m: Meta) -> None:
    s.counters["C"] = s.counters.get("C", 0) + 1
    s.complaints[e.complaint] = Complaint(id=e.complaint, text=e.text, by=m.by, at=m.at)


def complaint_acknowledged(s: State, e: ev.ComplaintAcknowledged, m: Meta) -> None:
    c = s.complaints[e.complaint]
    c.open, c.response, c.responded_by = False, e.response, m.by


def entry_corrected(s: State, e: ev.EntryCorrected, m: Meta) -> None:
    s.corrections.setdefault(str(e.entry), []).append(
        Correction(seq=m.seq, by=m.by, reason=e.reason, fields=dict(e.fields))
    )
