"""Events: what a decision records, as frozen, typed structs with stable type names and a version.

The stored form of an event is its fields with `type` (its stable name) and `v` (its version):
exactly the JSON objects earlier releases wrote. Evolve dispatches on the struct's type. Stored
events pass through `UPCASTERS` on the way in, which bring what an older release wrote to
today's shape; a type's version goes up when its fields change meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Union

import msgspec

from showclear.domain.events.base import Event
from showclear.domain.events.devices import (
    DeviceAttemptRefused,
    DeviceCommandChained,
    DeviceRegistered,
    DeviceRevoked,
    OfflineDisputeRecorded,
)
from showclear.domain.events.handling import (
    DeclarationAnnounced,
    ItemCheckedOut,
    ItemHandedOver,
    ItemPutAway,
    LiveRoundReported,
    MisfireReported,
    PerformerBriefed,
    RiskAssessed,
    SafetyMeetingHeld,
    SetupPlanned,
    UnattendedReported,
    WeaponDeclared,
    WeaponFired,
    WeaponInspected,
)
from showclear.domain.events.inventory import (
    DayWrapped,
    LotCounted,
    LotReceived,
    LotRoundsRemoved,
    LotTestFired,
    LotVerified,
    PersonEnrolled,
    ProductionOpened,
    QualificationRecorded,
    StorageAdded,
    WeaponDisposed,
    WeaponLoaded,
    WeaponRegistered,
    WeaponUnloaded,
)
from showclear.domain.events.records import (
    CommandRefused,
    ComplaintAcknowledged,
    ComplaintFiled,
    EntryCorrected,
    HoldPlaced,
    HoldReleased,
    HoldReleaseSigned,
    IncidentClosed,
    IncidentDetailsRecorded,
    IncidentOpened,
    IncidentReported,
    IncidentSigned,
)

#: Every event type, by its stable name.
ALL: dict[str, type[Event]] = {
    "production_opened": ProductionOpened,
    "person_enrolled": PersonEnrolled,
    "qualification_recorded": QualificationRecorded,
    "storage_added": StorageAdded,
    "weapon_registered": WeaponRegistered,
    "lot_received": LotReceived,
    "lot_verified": LotVerified,
    "performer_briefed": PerformerBriefed,
    "setup_planned": SetupPlanned,
    "safety_meeting_held": SafetyMeetingHeld,
    "item_checked_out": ItemCheckedOut,
    "weapon_inspected": WeaponInspected,
    "weapon_loaded": WeaponLoaded,
    "weapon_unloaded": WeaponUnloaded,
    "weapon_declared": WeaponDeclared,
    "declaration_announced": DeclarationAnnounced,
    "item_handed_over": ItemHandedOver,
    "weapon_fired": WeaponFired,
    "misfire_reported": MisfireReported,
    "unattended_reported": UnattendedReported,
    "live_round_reported": LiveRoundReported,
    "item_put_away": ItemPutAway,
    "weapon_disposed": WeaponDisposed,
    "lot_rounds_removed": LotRoundsRemoved,
    "lot_counted": LotCounted,
    "day_wrapped": DayWrapped,
    "hold_placed": HoldPlaced,
    "hold_release_signed": HoldReleaseSigned,
    "hold_released": HoldReleased,
    "incident_reported": IncidentReported,
    "incident_opened": IncidentOpened,
    "incident_signed": IncidentSigned,
    "incident_closed": IncidentClosed,
    "incident_details_recorded": IncidentDetailsRecorded,
    "complaint_filed": ComplaintFiled,
    "complaint_acknowledged": ComplaintAcknowledged,
    "entry_corrected": EntryCorrected,
    "risk_assessed": RiskAssessed,
    "lot_test_fired": LotTestFired,
    "command_refused": CommandRefused,
    "device_registered": DeviceRegistered,
    "device_revoked": DeviceRevoked,
    "device_command_chained": DeviceCommandChained,
    "device_attempt_refused": DeviceAttemptRefused,
    "offline_dispute_recorded": OfflineDisputeRecorded,
}

AnyEvent = Union[  # noqa: UP007  (msgspec reads the union at run time)
    ProductionOpened,
    PersonEnrolled,
    QualificationRecorded,
    StorageAdded,
    WeaponRegistered,
    LotReceived,
    LotVerified,
    PerformerBriefed,
    SetupPlanned,
    SafetyMeetingHeld,
    ItemCheckedOut,
    WeaponInspected,
    WeaponLoaded,
    WeaponUnloaded,
    WeaponDeclared,
    DeclarationAnnounced,
    ItemHandedOver,
    WeaponFired,
    MisfireReported,
    UnattendedReported,
    LiveRoundReported,
    ItemPutAway,
    WeaponDisposed,
    LotRoundsRemoved,
    LotCounted,
    DayWrapped,
    HoldPlaced,
    HoldReleaseSigned,
    HoldReleased,
    IncidentReported,
    IncidentOpened,
    IncidentSigned,
    IncidentClosed,
    IncidentDetailsRecorded,
    ComplaintFiled,
    ComplaintAcknowledged,
    EntryCorrected,
    RiskAssessed,
    LotTestFired,
    CommandRefused,
    DeviceRegistered,
    DeviceRevoked,
    DeviceCommandChained,
    DeviceAttemptRefused,
    OfflineDisputeRecorded,
]

__all__ = [
    "ALL",
    "UPCASTERS",
    "AnyEvent",
    "CommandRefused",
    "ComplaintAcknowledged",
    "ComplaintFiled",
    "DayWrapped",
    "DeclarationAnnounced",
    "DeviceAttemptRefused",
    "DeviceCommandChained",
    "DeviceRegistered",
    "DeviceRevoked",
    "EntryCorrected",
    "Event",
    "HoldPlaced",
    "HoldReleaseSigned",
    "HoldReleased",
    "IncidentClosed",
    "IncidentDetailsRecorded",
    "IncidentOpened",
    "IncidentReported",
    "IncidentSigned",
    "ItemCheckedOut",
    "ItemHandedOver",
    "ItemPutAway",
    "LiveRoundReported",
    "LotCounted",
    "LotReceived",
    "LotRoundsRemoved",
    "LotTestFired",
    "LotVerified",
    "MisfireReported",
    "OfflineDisputeRecorded",
    "PerformerBriefed",
    "PersonEnrolled",
    "ProductionOpened",
    "QualificationRecorded",
    "RiskAssessed",
    "SafetyMeetingHeld",
    "SetupPlanned",
    "StorageAdded",
    "UnattendedReported",
    "WeaponDeclared",
    "WeaponDisposed",
    "WeaponFired",
    "WeaponInspected",
    "WeaponLoaded",
    "WeaponRegistered",
    "WeaponUnloaded",
    "load_events",
    "stored",
    "type_name",
]

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def _meeting_day(raw: dict[str, Any]) -> dict[str, Any]:
    """A meeting recorded before `day` was: it was recorded on its own date."""
    return raw if "day" in raw else {**raw, "day": raw["date"]}


def _found_where(raw: dict[str, Any]) -> dict[str, Any]:
    """Live rounds recorded before `weapon` and `lot` were always named: neither was."""
    return {"weapon": None, "lot": None, **raw}


#: (type, stored version) -> the function that brings such a stored event to today's shape.
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("safety_meeting_held", 1): _meeting_day,
    ("live_round_reported", 1): _found_where,
}

_DECODE = msgspec.convert


def load_events(raw: Iterable[dict[str, Any]]) -> list[Event]:
    """Stored events as typed events, each through its upcaster first."""
    shaped = []
    for event in raw:
        up = UPCASTERS.get((event.get("type", ""), event.get("v", 1)))
        shaped.append(event if up is None else up(event))
    events: list[Event] = _DECODE(shaped, list[AnyEvent])
    return events


#: Fields protocol 2 added to older events, stored only when they differ from their default:
#: an entry of a protocol 1 production is stored byte for byte as before.
SPARSE: dict[str, tuple[tuple[str, Any], ...]] = {
    "production_opened": (("protocol", 1),),
    "setup_planned": (("crew", []),),
    "weapon_registered": (("theatrical_use", True),),
    "lot_received": (("factory", True),),
}


def stored(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Events in their stored form: JSON objects with `type` and `v`."""
    out: list[dict[str, Any]] = msgspec.to_builtins(list(events))
    for event in out:
        sparse = SPARSE.get(event["type"])
        if sparse is not None:
            for name, default in sparse:
                if event.get(name) == default:
                    del event[name]
    return out


def type_name(event: Event) -> str:
    """An event's stable type name."""
    return str(event.__struct_config__.tag)
