"""Events of the inventory: the production, its people, storages, weapons and lots, rounds."""

from __future__ import annotations

from showclear.domain.events.base import Event


class ProductionOpened(Event, frozen=True, tag="production_opened"):
    """A production was opened."""

    production: str
    name: str
    timezone: str
    declaration_minutes: int
    protocol: int = 1  # stored only when 2 (SPARSE)


class PersonEnrolled(Event, frozen=True, tag="person_enrolled"):
    """A person was enrolled, or given more roles."""

    person: str
    name: str
    roles: list[str]


class QualificationRecorded(Event, frozen=True, tag="qualification_recorded"):
    """A qualification and its expiry date were recorded."""

    person: str
    qualification: str
    valid_until: str


class StorageAdded(Event, frozen=True, tag="storage_added"):
    """A locked storage was added."""

    storage: str
    name: str


class WeaponRegistered(Event, frozen=True, tag="weapon_registered"):
    """A weapon was registered into a storage."""

    weapon: str
    kind: str
    make: str
    model: str
    serial: str
    caliber: str
    capacity: int
    source: str
    storage: str
    theatrical_use: bool = True  # stored only when false (SPARSE)


class LotReceived(Event, frozen=True, tag="lot_received"):
    """A lot of ammunition was received, with the status its kind and origin give it."""

    lot: str
    kind: str
    caliber: str
    count: int
    supplier: str
    load: str | None
    headstamp: str | None
    carried_over: bool
    storage: str
    status: str
    factory: bool = True  # stored only when false (SPARSE)


class LotVerified(Event, frozen=True, tag="lot_verified"):
    """An armorer verified a lot round by round."""

    lot: str
    checked: int
    method: str
    suspect: int


class WeaponLoaded(Event, frozen=True, tag="weapon_loaded"):
    """Rounds of a lot were loaded into a weapon."""

    weapon: str
    lot: str
    count: int


class WeaponUnloaded(Event, frozen=True, tag="weapon_unloaded"):
    """Rounds were unloaded from a weapon back into their lot."""

    weapon: str
    lot: str
    count: int


class WeaponDisposed(Event, frozen=True, tag="weapon_disposed"):
    """A weapon left the production."""

    weapon: str
    reason: str


class LotRoundsRemoved(Event, frozen=True, tag="lot_rounds_removed"):
    """Rounds of a lot were removed from the production."""

    lot: str
    count: int
    reason: str


class LotCounted(Event, frozen=True, tag="lot_counted"):
    """A witnessed count of a lot."""

    lot: str
    on_hand: int
    casings: int
    witness: str
    expected_on_hand: int
    expected_casings: int
    matches: bool
    day: str


class DayWrapped(Event, frozen=True, tag="day_wrapped"):
    """A shooting day wrapped."""

    date: str


class LotTestFired(Event, frozen=True, tag="lot_test_fired"):
    """Rounds of a blank lot were test-fired at the range (AMMO-6)."""

    lot: str
    weapon: str
    rounds: int
    result: str
    day: str
