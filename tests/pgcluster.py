"""A throwaway PostgreSQL cluster on a Unix socket in a temporary folder (tests, benchmarks)."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

INSTALL_HINT = "install them with: apt-get install -y postgresql"


class MissingPostgres(RuntimeError):
    """PostgreSQL's server binaries (initdb, pg_ctl) are not installed."""


def find_bindir() -> Path:
    """The folder of initdb and pg_ctl: `pg_config --bindir`, else /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise MissingPostgres(f"PostgreSQL server binaries (initdb, pg_ctl) not found; {INSTALL_HINT}")


class Cluster:
    """A running throwaway cluster: user `showclear`, trust auth, no TCP, socket in its folder."""

    def __init__(self, folder: Path, bindir: Path, as_postgres: bool) -> None:
        self.folder = folder
        self.bindir = bindir
        self._as_postgres = as_postgres
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    @classmethod
    def start(cls) -> Cluster:
        """initdb and start a new cluster (as the `postgres` user when running as root)."""
        bindir = find_bindir()
        as_postgres = os.geteuid() == 0
        folder = Path(tempfile.mkdtemp(prefix="showclear-pg-"))
        if as_postgres:
            shutil.chown(folder, "postgres", "postgres")
        cluster = cls(folder, bindir, as_postgres)
        data = str(folder)
        try:
            cluster._run(
                str(bindir / "initdb"), "-D", data, "-U", "showclear", "--auth=trust", "-E", "UTF8"
            )
            cluster._run(
                str(bindir / "pg_ctl"), "-D", data, "-l", str(folder / "server.log"),
                "-o", f"-c listen_addresses='' -c unix_socket_directories={data}", "-w", "start",
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cluster

    def url(self, dbname: str = "postgres") -> str:
        """The URL of a database of this cluster."""
        return f"postgresql://showclear@/{dbname}?host={self.folder}"

    def create_database(self, prefix: str = "t") -> str:
        """Create a new empty database and return its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
