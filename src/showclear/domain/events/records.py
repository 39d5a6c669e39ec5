"""Events of holds, incidents, complaints, corrections and refusals."""

from __future__ import annotations

from typing import Any

import msgspec

from showclear.domain.events.base import Event


class HoldPlaced(Event, frozen=True, tag="hold_placed"):
    """A hold was placed (`needs`: the roles whose releases it needs)."""

    hold: str
    target: str
    id: str
    reason: str
    incident: str | None
    needs: list[str]


class HoldReleaseSigned(Event, frozen=True, tag="hold_release_signed"):
    """One of a two-party hold's releases was signed."""

    hold: str
    role: str
    person: str


class HoldReleased(Event, frozen=True, tag="hold_released"):
    """A hold was lifted."""

    hold: str
    target: str
    id: str


class IncidentReported(Event, frozen=True, tag="incident_reported"):
    """Someone reported an incident."""

    text: str
    items: list[str]


class IncidentOpened(Event, frozen=True, tag="incident_opened"):
    """An incident was opened; its items are frozen as evidence."""

    incident: str
    rule: str
    text: str
    weapons: list[str]
    lots: list[str]
    needs_stand_down: bool


class IncidentSigned(Event, frozen=True, tag="incident_signed"):
    """A sign-off of an incident, with its finding."""

    incident: str
    role: str
    finding: str


class IncidentClosed(Event, frozen=True, tag="incident_closed"):
    """An incident closed."""

    incident: str


class IncidentDetailsRecorded(Event, frozen=True, tag="incident_details_recorded"):
    """The safety advisor recorded what the record can't know of an incident (its report)."""

    incident: str
    employer: str
    site: str
    other_agencies: str
    description: str
    scene: str


class ComplaintFiled(Event, frozen=True, tag="complaint_filed"):
    """A safety complaint was filed."""

    complaint: str
    text: str


class ComplaintAcknowledged(Event, frozen=True, tag="complaint_acknowledged"):
    """The safety advisor answered a complaint."""

    complaint: str
    response: str


class EntryCorrected(Event, frozen=True, tag="entry_corrected"):
    """A correction of an earlier entry (LEDGER-3)."""

    entry: int
    reason: str
    fields: dict[str, Any]


class CommandRefused(Event, frozen=True, tag="command_refused"):
    """A hard rule refused the command (`outstanding`: what keeps a day from wrapping)."""

    rule: str
    message: str
    outstanding: list[str] | msgspec.UnsetType = msgspec.UNSET
