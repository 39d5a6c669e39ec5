"""The state of one production, folded from its events; plain data, serializable as JSON."""

from __future__ import annotations

import msgspec


class Person(msgspec.Struct):
    """An enrolled person with roles and qualifications (name -> valid until, ISO date)."""

    id: str
    name: str
    roles: list[str]
    qualifications: dict[str, str] = {}


class Storage(msgspec.Struct):
    """A named locked storage."""

    id: str
    name: str


class Declaration(msgspec.Struct):
    """An armorer's standing cold/hot declaration."""

    status: str
    by: str
    at: str
    ts: int  # epoch seconds of `at`
    shown_to: list[str]
    seq: int


class Inspection(msgspec.Struct):
    """The last inspection of a weapon."""

    by: str
    at: str
    seq: int
    chambers_checked: int
    barrel_clear: bool
    found: dict[str, int]
    matches: bool


class Weapon(msgspec.Struct):
    """A serialised weapon and where, in what and in which condition it is."""

    id: str
    kind: str
    make: str
    model: str
    serial: str
    caliber: str
    capacity: int
    source: str
    stored_in: str | None = None
    held_by: str | None = None
    since: str = ""
    contents: dict[str, int] = {}
    condition: str = "unverified"
    declaration: Declaration | None = None
    last_inspection: Inspection | None = None
    removed: bool = False
    changed_seq: int = -1  # last load, unload, custody change or firing (SAFE-3)
    handled_seq: int = -1  # last hand-over, load, unload or firing (WRAP)
    good_inspection_seq: int = -1  # last full matching inspection
    theatrical_use: bool = True  # WEAP-1 (protocol 2)


class TestFireRecord(msgspec.Struct):
    """A test fire of rounds of a blank lot at the range (AMMO-6)."""

    seq: int
    at: str
    by: str
    weapon: str
    rounds: int
    result: str


class RiskAssessment(msgspec.Struct):
    """An accepted specific risk assessment of a setup (RISK-1)."""

    seq: int
    by: str
    at: str
    hazards: str
    controls: str
    residual: str
    affected: list[str]
    endorsed_by: str


class Lot(msgspec.Struct):
    """A container of ammunition of one kind and caliber, and every count of its rounds."""

    id: str
    kind: str
    caliber: str
    supplier: str
    carried_over: bool
    status: str
    received: int
    in_container: int
    load: str | None = None
    headstamp: str | None = None
    in_weapons: int = 0
    fired: int = 0
    removed: int = 0
    stored_in: str | None = None
    held_by: str | None = None
    since: str = ""
    fired_since_count: int = 0
    counted_dates: list[str] = []
    factory: bool = True  # blanks: factory-made, not hand-loaded (AMMO-6)
    test_fires: list[TestFireRecord] = []  # AMMO-6 (protocol 2), oldest first


class Setup(msgspec.Struct):
    """A planned use of weapons on a day."""

    id: str
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
    crew: list[str] = []  # the other people called to the set (protocol 2)
    risk: RiskAssessment | None = None  # RISK-1 (protocol 2)


class Meeting(msgspec.Struct):
    """A recorded safety meeting and whether it satisfies SAFE-1 for its setup."""

    seq: int
    date: str
    setup: str | None
    attendees: list[str]
    stand_down: bool
    complete: bool
    recorded_on: str = ""  # production-local day of the record; SAFE-1 counts it only on `date`


class HoldRecord(msgspec.Struct):
    """A hold on a weapon, lot, setup or the production."""

    id: str
    target: str
    target_id: str
    reason: str
    by: str
    seq: int
    incident: str | None = None
    needs: list[str] = []  # roles whose release is required (AMMO-1, INC-2); empty: any one release
    released_by: dict[str, str] = {}  # role -> person, for two-party releases


class Incident(msgspec.Struct):
    """An open or closed safety matter, with the items frozen as evidence."""

    id: str
    rule: str
    text: str
    seq: int
    at: str
    weapons: list[str] = []
    lots: list[str] = []
    open: bool = True
    needs_stand_down: bool = False
    closes: dict[str, dict[str, str]] = {}  # role -> {"by", "finding", "at"}


class Complaint(msgspec.Struct):
    """A safety complaint and the safety advisor's response."""

    id: str
    text: str
    by: str
    at: str
    open: bool = True
    response: str = ""
    responded_by: str = ""


class Correction(msgspec.Struct):
    """A correction of an earlier entry (LEDGER-3)."""

    seq: int
    by: str
    reason: str
    fields: dict[str, object]


class Device(msgspec.Struct):
    """A registered phone: its person, public key and the chain of its signed commands."""

    id: str
    person: str
    key: str  # raw public key, base64url without padding
    alg: str  # "Ed25519" or "ECDSA-P256"
    at: str  # registration time
    entry: int = -1  # the registration's entry
    revoked: bool = False
    seq: int = 0  # the last accepted device sequence number
    head: str = ""  # hex SHA-256 of the last accepted signed body
    bodies: dict[str, int] = {}  # hex SHA-256 of the last BODY_WINDOW accepted bodies -> entry
    # attempts refused before joining the chain since its last step (SHA-256 of body, sig) -> entry
    refused: dict[str, int] = {}


class Dispute(msgspec.Struct):
    """An incident opened by a command decided offline that the record refused (DEVICE-6)."""

    incident: str
    devices: list[str]  # the sending device and a conflict's other devices, by their clocks
    entries: list[int]  # their entries, in the same order


class State(msgspec.Struct):
    """Everything the rules need to decide a command of one production."""

    production: str = ""
    name: str = ""
    timezone: str = "UTC"
    declaration_minutes: int = 15
    protocol: int = 1  # 2: the California rules apply (docs/protocol.md)
    size: int = 0  # entries recorded; the next entry's seq
    people: dict[str, Person] = {}
    storages: dict[str, Storage] = {}
    weapons: dict[str, Weapon] = {}
    lots: dict[str, Lot] = {}
    countable: dict[str, bool] = {}  # lots with rounds to account for (index for WRAP)
    setups: dict[str, Setup] = {}
    setups_by_day: dict[str, list[str]] = {}  # date -> setup ids (index)
    out_by_day: dict[str, list[str]] = {}  # date -> weapons that left storage that day (index)
    meetings: dict[str, list[Meeting]] = {}  # date -> meetings
    briefings: dict[str, list[str]] = {}  # performer -> ["make|model", ...]
    holds: list[HoldRecord] = []  # active holds
    incidents: dict[str, Incident] = {}
    open_incidents: list[str] = []  # index of the open ones
    complaints: dict[str, Complaint] = {}
    incident_details: dict[str, dict[str, str]] = {}  # incident -> field -> latest text given
    corrections: dict[str, list[Correction]] = {}  # str(seq) -> corrections
    wrapped: list[str] = []
    last_at: str = ""  # `at` of the latest entry
    authors: list[str] = []  # `by` of every entry, by seq (LEDGER-3)
    last_stand_down_seq: int = -1
    counters: dict[str, int] = {}
    keys: dict[str, int] = {}  # "by\nidempotency key" -> seq, for the last KEY_WINDOW entries
    devices: dict[str, Device] = {}  # registered phones (DEVICE)
    disputes: dict[str, Dispute] = {}  # incident -> its offline dispute (DEVICE-6)


# Idempotency keys are remembered for this many entries: a retry comes seconds or minutes after
# its first try, and a day on set records a few thousand entries at most.
KEY_WINDOW = 10_000


# A device's accepted bodies are remembered for its last this many commands, so a retried sync
# (at most 500 commands) answers the first results; an older one sent again is refused.
BODY_WINDOW = 1_000


def remember_body(device: Device, digest: str, seq: int) -> None:
    """Remember the entry a device's body recorded; forget bodies older than the window."""
    device.bodies[digest] = seq
    if len(device.bodies) > 2 * BODY_WINDOW:  # amortised, as for idempotency keys
        oldest = sorted(device.bodies.values())[-BODY_WINDOW]
        device.bodies = {d: s for d, s in device.bodies.items() if s >= oldest}


# A device's attempts refused at one chain position are remembered up to this many, so a stuck
# or revoked phone sending the same envelopes again records nothing more (ADR 0014).
REFUSED_WINDOW = 100


def remember_refused(device: Device, attempt: str, seq: int) -> None:
    """Remember the entry that refused an attempt; forget the oldest beyond the window."""
    device.refused[attempt] = seq
    if len(device.refused) > REFUSED_WINDOW:
        oldest = min(device.refused, key=device.refused.__getitem__)
        del device.refused[oldest]


def key_of(by: str, key: str) -> str:
    """The name a person's idempotency key is remembered under."""
    return f"{by}\n{key}"


def remember_key(state: State, by: str, key: str, seq: int) -> None:
    """Remember the entry an idempotency key recorded; forget keys older than the window."""
    state.keys[key_of(by, key)] = seq
    if len(state.keys) > 2 * KEY_WINDOW:  # amortised: at most one sweep per KEY_WINDOW entries
        oldest = state.size - KEY_WINDOW
        state.keys = {k: s for k, s in state.keys.items() if s >= oldest}


def recorded_by_key(state: State, by: str, key: str) -> int | None:
    """The seq of the entry this person recorded with this key within the window, or None."""
    seq = state.keys.get(key_of(by, key))
    if seq is None or seq < state.size - KEY_WINDOW:
        return None
    return seq


# Insertion order, not sorted: rules list items in the order the state holds them, so a state
# loaded from a snapshot must hold them in the order the replay made them.
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(State)


def dump_state(state: State) -> bytes:
    """Serialize a state (for projection snapshots)."""
    return _encoder.encode(state)


def load_state(blob: bytes) -> State:
    """Deserialize a state snapshot."""
    return _decoder.decode(blob)
