"""The phone's signed queue in Chromium, checked in Python: canonical bodies, the chain, the keys."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from offline_phone import SHOW, OfflinePhone, armorer_phone, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TWO = """
async ([p, person]) => {
  const device = await SC.ensureDevice(p, person, "");
  const one = {cmd: "report_unattended", production: p, by: person, weapon: "W1",
               where: "behind the café's \\"back\\" door", at: "2026-01-01T00:00:00+00:00"};
  const two = {cmd: "count_lot", production: p, by: person, lot: "D1", counted: 12};
  await SC.enqueue(device, one, {checked: false}, null, {}, new Date());
  await SC.enqueue(device, two, {ok: false, rule: "AMMO-5", message: "12 ≠ 13"},
                   {size: 40, head: "ab".repeat(32)}, {perf1: "1111"}, new Date());
  const kept = await SC.device(p, person);
  return {public: kept.public, alg: kept.alg, id: kept.id, head: kept.head,
          extractable: kept.keys.privateKey.extractable,
          items: (await SC.queueOf(kept.id)).map(i => ({body: i.body, sig: i.sig, pins: i.pins}))};
}
"""
NO_ED25519 = """
const real = crypto.subtle.generateKey.bind(crypto.subtle);
crypto.subtle.generateKey = (alg, ...rest) =>
  (alg && alg.name === "Ed25519") ? Promise.reject(new DOMException("no", "NotSupportedError"))
                                  : real(alg, ...rest);
"""


def unb64(text: str) -> bytes:
    """base64url without padding, decoded."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(alg: str, key: bytes, sig: bytes, body: bytes) -> None:
    """Check the phone's signature as an investigator would; raises InvalidSignature."""
    if alg == "Ed25519":
        Ed25519PublicKey.from_public_bytes(key).verify(sig, body)
        return
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
    der = encode_dss_signature(int.from_bytes(sig[:32]), int.from_bytes(sig[32:]))
    public.verify(der, body, ec.ECDSA(hashes.SHA256()))


@pytest.mark.parametrize("alg", ["Ed25519", "ECDSA-P256"])
def test_queued_commands_are_canonical_chained_and_signed_by_the_registered_key(
    chromium: Any, live_server: Any, ledger: Any, alg: str
) -> None:
    stage(ledger)
    phone = OfflinePhone(chromium, live_server.url, "arm1")
    try:
        if alg == "ECDSA-P256":
            phone.context.add_init_script(NO_ED25519)
        phone.go("/")
        phone.context.set_offline(True)  # nothing registered: the keys are made all the same
        made = phone.page.evaluate(TWO, [SHOW, "arm1"])
    finally:
        phone.close()
    assert made["alg"] == alg
    assert made["extractable"] is False
    key = unb64(made["public"])
    assert len(key) == (32 if alg == "Ed25519" else 65)
    assert made["id"] == "D-" + hashlib.sha256(key).hexdigest()[:16]
    previous = "0" * 64
    for seq, item in enumerate(made["items"], start=1):
        body = json.loads(item["body"])
        again = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert item["body"] == again  # canonical, as the server re-encodes it
        assert body["v"] == 1
        assert body["device"] == made["id"]
        assert body["seq"] == seq
        assert body["prev"] == previous
        assert "at" not in body["command"]
        assert body["device_at"].endswith("+00:00")
        assert 16 <= len(body["idempotency_key"]) <= 64
        verify(alg, key, unb64(item["sig"]), item["body"].encode())
        with pytest.raises(InvalidSignature):
            verify(
                alg,
                key,
                unb64(item["sig"]),
                item["body"].replace(made["id"], "D-" + "0" * 16).encode(),
            )
        previous = hashlib.sha256(item["body"].encode()).hexdigest()
    assert made["head"] == previous
    first, second = (json.loads(i["body"]) for i in made["items"])
    assert first["command"]["where"] == 'behind the café\'s "back" door'
    assert first["result"] == {"checked": False}
    assert first["snapshot"] is None
    assert second["result"] == {"ok": False, "rule": "AMMO-5", "message": "12 ≠ 13"}
    assert second["snapshot"] == {"size": 40, "head": "ab" * 32}
    # the PIN is beside the body, never in it (as a value: a hex id may hold the same digits)
    assert "1111" not in _values(json.loads(made["items"][1]["body"]))
    assert not [k for k in json.loads(made["items"][1]["body"])["command"] if "pin" in k]
    assert made["items"][1]["pins"] == {"perf1": "1111"}


KEPT_SNAPSHOT = (
    "p => SC.get('snapshots', p).then(k => k && {verified: k.verified, names: k.snapshot.names})"
)


def test_the_phone_keeps_only_a_snapshot_the_log_signed(
    chromium: Any, live_server: Any, ledger: Any
) -> None:
    with armorer_phone(chromium, live_server.url, ledger) as phone:
        kept = phone.page.evaluate(KEPT_SNAPSHOT, SHOW)
        assert kept["verified"] is True
        assert kept["names"]["arm1"] == "Key Armorer"

        def forged(route: Any) -> None:
            """The server's snapshot with one name changed on the way."""
            answer = route.fetch()
            body = answer.json()
            body["names"]["arm1"] = "Someone Else"
            route.fulfill(response=answer, json=body)

        phone.context.route("**/offline/snapshot", forged)
        with pytest.raises(Exception, match="signature does not verify"):
            phone.page.evaluate("p => SC.fetchSnapshot(p)", SHOW)
        assert phone.page.evaluate(KEPT_SNAPSHOT, SHOW)["names"]["arm1"] == "Key Armorer"


def _values(value: Any) -> list[Any]:
    """Every scalar value in a JSON value, keys left out."""
    if isinstance(value, dict):
        return [v for item in value.values() for v in _values(item)]
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [value]
