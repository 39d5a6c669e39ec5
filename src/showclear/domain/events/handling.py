"""Events of handling weapons and lots on set: plans, meetings, custody, inspections, firing."""

from __future__ import annotations

from showclear.domain.events.base import Event


class PerformerBriefed(Event, frozen=True, tag="performer_briefed"):
    """A performer was briefed on a weapon (its make and model)."""

    performer: str
    weapon: str
    make: str
    model: str


class SetupPlanned(Event, frozen=True, tag="setup_planned"):
    """A first AD planned a setup."""

    setup: str
    date: str
    use: str
    weapons: list[str]
    performers: list[str]
    blanks: bool
    min_distance_ft: int
    shields: bool
    muzzle_toward_person: bool
    mitigation: str
    approved_by: str
    crew: list[str] = []  # stored only when someone is listed (SPARSE)


class SafetyMeetingHeld(Event, frozen=True, tag="safety_meeting_held"):
    """A safety meeting was held (`day`: the production-local day it was recorded)."""

    date: str
    setup: str | None
    attendees: list[str]
    stand_down: bool
    complete: bool
    day: str


class ItemCheckedOut(Event, frozen=True, tag="item_checked_out"):
    """A weapon or lot left storage into someone's custody."""

    item: str
    id: str
    holder: str
    day: str


class WeaponInspected(Event, frozen=True, tag="weapon_inspected"):
    """An armorer inspected a weapon (`found`: only the non-zero counts)."""

    weapon: str
    chambers_checked: int
    barrel_clear: bool
    found: dict[str, int]
    matches: bool


class WeaponDeclared(Event, frozen=True, tag="weapon_declared"):
    """An armorer declared a weapon cold or hot (`ts`: Unix seconds)."""

    weapon: str
    status: str
    shown_to: list[str]
    ts: int


class DeclarationAnnounced(Event, frozen=True, tag="declaration_announced"):
    """A first AD relayed a weapon's declaration."""

    weapon: str
    status: str


class ItemHandedOver(Event, frozen=True, tag="item_handed_over"):
    """A weapon or lot changed hands."""

    item: str
    id: str
    to: str
    keeps_declaration: bool
    day: str


class WeaponFired(Event, frozen=True, tag="weapon_fired"):
    """A weapon was fired (`consumed`: rounds by lot)."""

    weapon: str
    setup: str
    take: int
    rounds: int
    consumed: dict[str, int]
    unexplained: int
    accidental: bool
    day: str


class MisfireReported(Event, frozen=True, tag="misfire_reported"):
    """A misfire was reported."""

    weapon: str
    setup: str


class UnattendedReported(Event, frozen=True, tag="unattended_reported"):
    """A weapon or lot was reported found unattended."""

    item: str
    id: str
    where: str


class LiveRoundReported(Event, frozen=True, tag="live_round_reported"):
    """Live or suspect rounds were found."""

    where: str
    count: int
    weapon: str | None
    lot: str | None


class ItemPutAway(Event, frozen=True, tag="item_put_away"):
    """A weapon or lot was put into a storage."""

    item: str
    id: str
    storage: str


class RiskAssessed(Event, frozen=True, tag="risk_assessed"):
    """The safety advisor's specific risk assessment of a setup was accepted (RISK-1)."""

    setup: str
    hazards: str
    controls: str
    residual: str
    affected: list[str]
    endorsed_by: str
