"""The embedded PostgreSQL (the pgserver package) used when no DATABASE_URL is given."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from backend.settings import asyncpg_url

log = logging.getLogger(__name__)


class EmbeddedDatabaseError(RuntimeError):
    """The embedded PostgreSQL could not be started."""


class EmbeddedPostgres:
    """A PostgreSQL 16 server whose data lives under the data dir; reused across starts.

    The server keeps running while this process holds it and stops with `stop()`, when the last
    process holding it lets go. Run a process's work inside `stops_on_signals()` so that SIGTERM
    and Ctrl-C come to that `stop()`.
    """

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata.resolve()
        self._server: Any = None  # a pgserver.PostgresServer once started

    def start(self) -> str:
        """Start (or join) the server and return an asyncpg URL for its `postgres` database."""
        try:
            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():
                # it looks up a runtime dir it does not need; containers and CI have none
                warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
                import pgserver

                self._forget_dead_holders()
                self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
            uri = self._server.get_uri()
        except Exception as exc:  # pgserver raises a mix of subprocess, OS and assertion errors
            raise EmbeddedDatabaseError(
                f"could not start the embedded PostgreSQL in {self.pgdata}: {exc}. "
                f"Check that the folder is writable and not used by another PostgreSQL version, "
                f"see {self.pgdata / 'log'}, or set DATABASE_URL to use an existing server."
            ) from exc
        url = asyncpg_url(uri)
        assert url is not None
        return url

    def crash_restart(self) -> None:
        """Stop at once, as on a power cut (`pg_ctl restart -m immediate`), and start again:
        PostgreSQL recovers from its WAL. For fault runs."""
        assert self._server is not None, "start() first"
        subprocess.run(  # noqa: S603 (our own pg_ctl, fixed arguments)
            [pg_binary("pg_ctl"), "-D", str(self.pgdata), "restart", "-m", "immediate", "-w"],
            check=True,
            user=self._server.system_user,  # pgserver runs PostgreSQL as its own user under root
            stdout=subprocess.DEVNULL,  # the new postmaster inherits these; pipes would hang
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self._server is not None:
            with _signals_ignored():  # a second Ctrl-C must not cut the shutdown short
                self._server.cleanup()
            self._server = None

    def _forget_dead_holders(self) -> None:
        """pgserver stops the server when its last holder lets go, and counts holders by pid; a
        holder killed outright stays on its list, so no later holder would ever be the last."""
        import psutil
        from pgserver.postgres_server import PostgresServer

        holders = self.pgdata / ".handle_pids.json"
        with PostgresServer._lock:  # pgserver's own lock over that list
            if not holders.exists():
                return
            pids = json.loads(holders.read_text())
            alive = [pid for pid in pids if psutil.pid_exists(pid)]
            if alive != pids:
                holders.write_text(json.dumps(alive))


@contextmanager
def stops_on_signals() -> Iterator[None]:
    """SIGTERM interrupts like Ctrl-C (KeyboardInterrupt), so `finally` blocks still run.

    Python's default for SIGTERM ends the process where it stands, and uvicorn, after its own
    graceful shutdown, raises the signal again for that default: the embedded PostgreSQL would
    outlive the service.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _signals_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def pg_binary(name: str) -> str:
    """A PostgreSQL program (pg_dump, pg_restore, pg_ctl) shipped with the embedded server."""
    import pgserver

    return str(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)
