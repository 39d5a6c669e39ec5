"""The `showclear` command end to end: apply, state, trace, verify, export, proofs, crashes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from base64 import b64decode
from pathlib import Path

import pytest

from showclear.ledger.merkle import verify_consistency, verify_inclusion
from showclear.ledger.note import NoteError, log_key, open_note
from showclear.ledger.signing import Signer

SHOWCLEAR = str(Path(sys.executable).parent / "showclear")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHOWCLEAR, *args], input=stdin, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite ledger holding the normal day and the Rust day."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    for name in ("normal-day", "rust-day"):
        assert run("apply", "--db", url, str(SCENARIOS / f"{name}.jsonl")).returncode == 0
    return url


def test_malformed_lines_name_line_and_field_and_the_rest_still_applies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    first = (SCENARIOS / "normal-day.jsonl").read_text().splitlines()[:2]
    bad_field = json.loads(first[1])
    bad_field["rolez"] = ["crew"]
    lines = [first[0], "{not json", json.dumps(bad_field), "", "[1, 2]", first[1]]
    done = run("apply", "--db", url, "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 1  # some lines were malformed
    results = [json.loads(x) for x in done.stdout.splitlines()]
    assert len(results) == 5  # the blank line gives no result
    assert results[0]["ok"] is True
    assert results[1]["rule"] == "INPUT"
    assert results[1]["message"].startswith("line 2: not valid JSON")
    assert results[2] == {
        "ok": False,
        "rule": "INPUT",
        "message": "line 3: unknown field 'rolez' in enroll",
        "field": "rolez",
    }
    assert results[3]["message"].startswith("line 5: ")
    assert results[4]["ok"] is True
    assert results[4]["seq"] == 1  # nothing was written for the malformed lines
    assert "Traceback" not in done.stderr


def test_unknown_production_and_second_open_are_input(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    opening = (SCENARIOS / "normal-day.jsonl").read_text().splitlines()[0]
    other = json.loads(opening)
    other["production"] = "nope"
    other["cmd"] = "complain"
    other.pop("name"), other.pop("timezone")
    other["text"] = "x"
    done = run("apply", "--db", url, "-", stdin=f"{opening}\n{opening}\n{json.dumps(other)}\n")
    results = [json.loads(x) for x in done.stdout.splitlines()]
    assert results[0]["ok"] is True
    assert results[1]["message"] == "line 2: production 'western1' exists already"
    assert results[2]["message"] == "line 3: field 'production': no production 'nope'"


@pytest.mark.rule("LEDGER-1")
def test_state_json_matches_the_machine_interface(db: str) -> None:
    done = run("state", "--db", db, "--production", "rust-replay", "--json")
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    w1 = state["weapons"]["W1"]
    assert (w1["held_by"], w1["stored_in"], w1["on_hold"]) == ("arm1", None, True)
    assert w1["contents"] == {"D1": 6}
    assert w1["condition"] == "unverified"
    assert state["lots"]["D9"]["status"] == "evidence"
    assert {"target": "production", "id": "rust-replay"}.items() <= state["holds"][-1].items()
    rules = {i["rule"] for i in state["incidents"] if i["open"]}
    assert rules == {"CUST-1", "SAFE-6", "AMMO-1"}
    # every refused command is in the ledger too: 47 commands, 47 entries
    assert state["production"]["size"] == 47


def test_state_as_tables_for_people(db: str) -> None:
    done = run("state", "--db", db, "--production", "rust-replay")
    assert done.returncode == 0
    assert "ON HOLD" in done.stdout
    assert "OPEN INCIDENT" in done.stdout


@pytest.mark.rule("TRACE")
def test_trace_answers_who_held_it_what_was_in_it_and_what_came_before(db: str) -> None:
    at = "2026-03-02T07:45:00-07:00"  # during the rehearsal, in the performer's hands
    done = run("trace", "--db", db, "-p", "western1", "--weapon", "W1", "--at", at, "--json")
    t = json.loads(done.stdout)
    assert (t["held_by"], t["since"]) == ("perf1", "2026-03-02T07:30:00-07:00")
    assert t["contents"] == {"D1": 6}
    assert t["last_inspection"]["by"] == "arm1"
    assert t["last_inspection"]["at"] == "2026-03-02T07:27:00-07:00"
    assert t["last_declaration"]["status"] == "cold"
    assert t["last_declaration"]["shown_to"] == ["ad1", "perf1"]
    holders = [c.get("holder") or c.get("storage") for c in t["custody"]]
    assert holders == ["SAFE-A", "arm1", "perf1"]
    assert t["custody"][-1]["until"] is None
    # later: back in the safe
    t2 = json.loads(run("trace", "--db", db, "-p", "western1", "-w", "W1", "--json").stdout)
    assert t2["stored_in"] == "SAFE-A"
    assert t2["contents"] == {}


@pytest.mark.rule("TRACE")
def test_trace_of_a_lot_says_where_every_round_came_from_and_went(db: str) -> None:
    t = json.loads(run("trace", "--db", db, "-p", "western1", "--lot", "B1", "--json").stdout)
    assert t["origin"]["supplier"] == "Rental house"
    kinds = [r["type"] for r in t["rounds"]]
    assert kinds == ["lot_received", "weapon_loaded", "weapon_fired", "lot_counted"]
    assert (t["received"], t["in_container"], t["fired"]) == (50, 48, 2)


def test_trace_of_nothing_is_a_clear_error(db: str) -> None:
    done = run("trace", "--db", db, "-p", "western1", "--weapon", "W99", "--json")
    assert done.returncode == 2
    assert "no weapon 'W99'" in done.stderr
    assert (
        run("trace", "--db", db, "-p", "western1", "--at", "yesterday", "-w", "W1").returncode == 2
    )


@pytest.mark.rule("LEDGER-2")
def test_proofs_check_against_the_signed_checkpoint(db: str) -> None:
    """Hashes, roots and signatures are standard base64 (C2SP), the hashes a list named `proof`."""
    p = json.loads(run("proof", "--db", db, "-p", "western1", "--seq", "7").stdout)
    cp = p["checkpoint"]
    root = b64decode(cp["root"], validate=True)
    assert p["root"] == cp["root"]
    assert cp["format"] == "c2sp"  # a C2SP signed note, checked as any C2SP client checks it
    assert cp["note"].startswith(f"{cp['origin']}\n{cp['size']}\n{cp['root']}\n\n")
    _, verified = open_note(cp["note"].encode(), [log_key(cp["origin"], cp["public_key"])])
    assert [k.name for k in verified] == [cp["origin"]]
    other = Signer.generate().public_key_b64
    with pytest.raises(NoteError):
        open_note(cp["note"].encode(), [log_key(cp["origin"], other)])
    verify_inclusion(
        b64decode(p["leaf_hash"]), 7, p["size"], [b64decode(h) for h in p["proof"]], root
    )
    c = json.loads(
        run("consistency", "--db", db, "-p", "western1", "--from", "10", "--to", "56").stdout
    )
    assert c["new_root"] == cp["root"]
    verify_consistency(
        10,
        56,
        b64decode(c["old_root"]),
        b64decode(c["new_root"]),
        [b64decode(h) for h in c["proof"]],
    )


@pytest.mark.rule("LEDGER-4")
def test_export_verifies_offline_and_tampering_names_the_entry(db: str, tmp_path: Path) -> None:
    out = tmp_path / "western1.jsonl"
    assert run("export", "--db", db, "-p", "western1", "-o", str(out)).returncode == 0
    key = run("key", "--db", db).stdout.strip()
    ok = run("verify", str(out), "--key", key)
    assert ok.returncode == 0, ok.stdout
    assert "56 entries" in ok.stdout
    lines = out.read_bytes().split(b"\n")
    n = next(i for i, line in enumerate(lines) if line.startswith(b'{"seq":22,'))
    tampered = lines[n].replace(b'"by":"arm1"', b'"by":"ad1"', 1)
    assert tampered != lines[n]
    lines[n] = tampered
    out.write_bytes(b"\n".join(lines))
    bad = run("verify", str(out))
    assert bad.returncode == 1
    assert "first bad entry 22" in bad.stdout


@pytest.mark.rule("LEDGER-1")
def test_verify_names_the_first_bad_entry_of_a_rewritten_database(db: str) -> None:
    assert run("verify", "--db", db).returncode == 0
    path = db.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("UPDATE entries SET by = 'ad1' WHERE seq = 9")
    triggers = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    for name in triggers:
        con.execute(f'DROP TRIGGER "{name}"')
    con.execute(
        'UPDATE entries SET body = replace(body, \'"by":"arm1"\', \'"by":"ad1"\') '
        "WHERE production = 'western1' AND seq = 22"
    )
    con.commit()
    con.close()
    done = run("verify", "--db", db)
    assert done.returncode == 1
    assert "BROKEN  western1: first bad entry 22" in done.stdout
    assert "ok      rust-replay" in done.stdout


@pytest.mark.rule("LEDGER-1")
def test_a_killed_apply_loses_no_printed_result(tmp_path: Path) -> None:
    """SIGKILL mid-file: verify passes and every result the child printed is in the ledger."""
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    day = (SCENARIOS / "normal-day.jsonl").read_text().splitlines()
    complaint = {"cmd": "complain", "production": "western1", "by": "crew1", "text": "noise"}
    lines = day + [
        json.dumps({**complaint, "at": f"2026-03-02T09:{m // 60:02d}:{m % 60:02d}-07:00"})
        for m in range(3000)
    ]
    src = tmp_path / "long.jsonl"
    src.write_text("\n".join(lines) + "\n")
    child = subprocess.Popen(
        [SHOWCLEAR, "apply", "--db", url, str(src)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    printed = []
    deadline = time.monotonic() + 120
    while len(printed) < 300 and time.monotonic() < deadline:
        printed.append(json.loads(child.stdout.readline()))
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert len(printed) == 300
    assert run("verify", "--db", url).returncode == 0
    state = json.loads(run("state", "--db", url, "-p", "western1", "--json").stdout)
    assert state["production"]["size"] >= max(r["seq"] for r in printed) + 1
    entries = {r["seq"]: r["hash"] for r in printed}
    # the printed chain hashes are the stored ones
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    stored = dict(
        con.execute("SELECT seq, hex(chain_hash) FROM entries WHERE production = 'western1'")
    )
    con.close()
    for seq, chain in entries.items():
        assert stored[seq].lower() == chain


@pytest.mark.rule("LEDGER-3")
def test_a_correction_shows_the_original_the_corrected_and_both(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    assert run("apply", "--db", url, str(SCENARIOS / "normal-day.jsonl")).returncode == 0
    fix = {
        "cmd": "correct",
        "production": "western1",
        "by": "arm1",
        "at": "2026-03-02T09:00:00-07:00",
        "entry": 15,
        "reason": "the method was written down wrong",
        "fields": {"method": "rattle, drilled case, primer pocket checked"},
    }
    result = json.loads(run("apply", "--db", url, "-", stdin=json.dumps(fix) + "\n").stdout)
    assert result["ok"] is True
    assert result["event"] == "entry_corrected"

    def entry(view: str) -> dict:
        out = run(
            "log", "--db", url, "-p", "western1", "--start", "15", "--stop", "16", "--view", view
        )
        return json.loads(out.stdout)

    original, corrected, both = entry("original"), entry("corrected"), entry("both")
    assert original["command"]["method"] == "rattle, drilled case, no primer"
    assert "corrections" not in original
    assert corrected["command"]["method"] == "rattle, drilled case, primer pocket checked"
    assert both["command"]["method"] == "rattle, drilled case, no primer"
    assert both["corrected"]["method"] == "rattle, drilled case, primer pocket checked"
    assert both["corrections"][0]["reason"] == "the method was written down wrong"
    # the entry itself is untouched: the ledger still verifies
    assert run("verify", "--db", url).returncode == 0
    bad = dict(fix, fields={"chamber": 3})
    refused = json.loads(run("apply", "--db", url, "-", stdin=json.dumps(bad) + "\n").stdout)
    assert refused["rule"] == "INPUT"
    assert "'chamber'" in refused["message"]


@pytest.mark.rule("WRAP")
def test_a_refused_wrap_lists_what_is_outstanding(db: str) -> None:
    state_before = run("state", "--db", db, "-p", "rust-replay", "--json").stdout
    wrap = {
        "cmd": "wrap",
        "production": "rust-replay",
        "by": "arm1",
        "at": "2026-03-02T18:00:00-07:00",
        "date": "2026-03-02",
    }
    result = json.loads(run("apply", "--db", db, "-", stdin=json.dumps(wrap) + "\n").stdout)
    assert result["rule"] == "WRAP"
    assert "W1 is held by arm1, not stored" in result["outstanding"]
    assert "lot B1 was not counted on 2026-03-02" in result["outstanding"]
    assert json.loads(state_before)["production"]["size"] + 1 == result["seq"] + 1


@pytest.mark.rule("TRACE")
def test_trace_shows_refused_attempts_at_the_item(db: str) -> None:
    t = json.loads(run("trace", "--db", db, "-p", "rust-replay", "--weapon", "W1", "--json").stdout)
    refused = [h for h in t["history"] if h["type"] == "command_refused"]
    assert [(h["cmd"], h["rule"]) for h in refused][:4] == [
        ("check_out", "SAFE-1"),
        ("load", "AMMO-2"),
        ("inspect", "SAFE-2"),
        ("announce", "SAFE-3"),
    ]
    assert refused[0]["by"] == "arm1"


@pytest.mark.rule("LEDGER-3")
def test_a_trace_shows_a_corrected_count_as_recorded_as_corrected_and_both(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    assert run("apply", "--db", url, str(SCENARIOS / "normal-day.jsonl")).returncode == 0
    lines = run("log", "--db", url, "-p", "western1").stdout.splitlines()
    count = next(json.loads(x) for x in lines if json.loads(x)["command"]["cmd"] == "count")
    fix = {
        "cmd": "correct",
        "production": "western1",
        "by": "arm1",
        "at": "2026-03-02T09:00:00-07:00",
        "entry": count["seq"],
        "reason": "the witness was the first AD",
        "fields": {"witness": "ad1"},
    }
    assert json.loads(run("apply", "--db", url, "-", stdin=json.dumps(fix) + "\n").stdout)["ok"]
    before = "2026-03-02T08:30:00-07:00"  # the moment traced is before the correction was made

    def counted(view: str) -> dict:
        out = run(
            "trace",
            "--db",
            url,
            "-p",
            "western1",
            "--lot",
            "D1",
            "--at",
            before,
            "--view",
            view,
            "--json",
        )
        return next(h for h in json.loads(out.stdout)["history"] if h["type"] == "lot_counted")

    assert counted("original")["witness"] == "safe1"
    assert "corrections" not in counted("original")
    assert counted("corrected")["witness"] == "ad1"
    both = counted("both")
    assert (both["witness"], both["corrected"]["witness"]) == ("safe1", "ad1")
    assert both["corrections"][0]["reason"] == "the witness was the first AD"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///{tmp}/a-file/ledger.sqlite3", "a-file"),
        ("postgresql://127.0.0.1:1/nowhere?connect_timeout=2", "connection"),
    ],
)
def test_an_operational_failure_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, url: str, expected: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    done = run("state", "--db", url.format(tmp=tmp_path), "-p", "western1")
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("showclear: error: ")
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def _env(**extra: str) -> dict[str, str]:
    import os

    return {**os.environ, **extra}


@pytest.mark.rule("LEDGER-4")
def test_verify_and_export_run_while_another_process_holds_the_writer_lock(
    db: str, tmp_path: Path
) -> None:
    path = db.removeprefix("sqlite:///")
    holder = subprocess.Popen(  # another process begins a write and keeps it open
        [
            sys.executable,
            "-c",
            "import fcntl, os, sqlite3, sys, time\n"
            f"fd = os.open({path + '-writer'!r}, os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            f"c = sqlite3.connect({path!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        began = time.monotonic()
        verified = run("verify", "--db", db)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        out = tmp_path / "w.jsonl"
        exported = run("export", "--db", db, "-p", "western1", "-o", str(out))
        assert exported.returncode == 0, exported.stderr
        assert run("verify", str(out)).returncode == 0
        assert time.monotonic() - began < 30  # nothing waited for the lock
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_a_database_outside_the_data_folder_signs_with_the_same_key_from_web_and_cli(
    tmp_path: Path,
) -> None:
    from showclear.app import bootstrap

    data = tmp_path / "data"
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'ledger.sqlite3'}"
    env = _env(SHOWCLEAR_DATA_DIR=str(data), SHOWCLEAR_DATABASE_URL=url)
    env.pop("SHOWCLEAR_KEY_FILE", None)
    lines = (SCENARIOS / "normal-day.jsonl").read_text().splitlines()[:3]
    applied = subprocess.run(
        [SHOWCLEAR, "apply", "-"],
        input="\n".join(lines[:2]) + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert applied.returncode == 0, applied.stderr
    cli_key = subprocess.run(
        [SHOWCLEAR, "key"], env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()
    web = bootstrap(url, str(data))  # what the web's services.get_service() calls
    try:
        assert web.ledger.public_key_b64 == cli_key
        assert web.execute(json.loads(lines[2]))["ok"] is not None
    finally:
        web.close()
    assert not (tmp_path / "elsewhere" / "ledger-signing-key.pem").exists()
    verified = subprocess.run(
        [SHOWCLEAR, "verify"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert verified.returncode == 0, verified.stdout


def test_an_unusable_key_is_one_line_and_a_non_zero_exit(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"not a key")
    bad.chmod(0o600)
    done = subprocess.run(
        [SHOWCLEAR, "verify", "--db", db],
        env=_env(SHOWCLEAR_KEY_FILE=str(bad)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "not an unencrypted PEM private key" in done.stderr


def test_alarm_lists_a_production_whose_tail_was_cut_and_clear_accepts_it(db: str) -> None:
    assert run("alarm", "--db", db).stdout.strip() == "no alarms"
    path = db.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f'DROP TRIGGER "{name}"')
    con.execute("DELETE FROM entries WHERE production = 'western1' AND seq >= 50")
    con.execute("DELETE FROM checkpoints WHERE production = 'western1' AND size > 50")
    con.commit()
    con.close()
    verified = run("verify", "--db", db)
    assert verified.returncode == 1
    assert "BROKEN  western1: first bad entry 50" in verified.stdout
    listed = run("alarm", "--db", db)  # a fresh process: the record outside the database
    assert listed.returncode == 0  # nothing has tried to write yet
    cleared = run("alarm", "--db", db, "--clear", "western1")
    assert cleared.returncode == 0, cleared.stderr
    assert run("verify", "--db", db).returncode == 0


@pytest.mark.rule("LEDGER-4")
def test_key_rotate_then_write_verify_and_export_offline_with_the_original_key(
    db: str, tmp_path: Path
) -> None:
    original = run("key", "--db", db).stdout.strip()
    rotated = run("key", "rotate", "--db", db)
    assert rotated.returncode == 0, rotated.stderr
    new = rotated.stdout.strip()
    assert new != original
    assert run("key", "--db", db).stdout.strip() == new
    history = run("key", "--db", db, "--history").stdout.splitlines()
    assert history[0].startswith(f"{original}  the first key")
    assert history[1].startswith(f"{new}  from ")
    assert history[1].endswith(f"signed by {original}")
    line = json.dumps(
        {
            "cmd": "complain",
            "production": "western1",
            "by": "arm1",
            "at": "2099-01-01T09:00:00-06:00",
            "text": "after the rotation",
        }
    )
    applied = run("apply", "--db", db, "-", stdin=line + "\n")
    assert json.loads(applied.stdout)["seq"] == 56, applied.stdout + applied.stderr
    assert run("verify", "--db", db).returncode == 0
    assert run("verify", "--db", db, "--key", original).returncode == 0
    out = tmp_path / "western1.jsonl"
    assert run("export", "--db", db, "-p", "western1", "-o", str(out)).returncode == 0
    offline = run("verify", str(out), "--key", original)
    assert offline.returncode == 0, offline.stdout
    assert "57 entries" in offline.stdout


def test_apply_help_lists_every_declared_command() -> None:
    from showclear.app.protocol import DECLARATIONS

    shown = run("apply", "--help").stdout
    missing = [d.name for d in DECLARATIONS if f"  {d.name} " not in shown]
    assert missing == []
    assert "Wrap a shooting day." in shown
