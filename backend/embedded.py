"""The embedded PostgreSQL (the pgserver package) used when no DATABASE_URL is given."""

from __future__ import annotations

import logging
import subprocess
import warnings
from pathlib import Path

from backend.settings import asyncpg_url

log = logging.getLogger(__name__)


class EmbeddedDatabaseError(RuntimeError):
    """The embedded PostgreSQL could not be started."""


class EmbeddedPostgres:
    """A PostgreSQL 16 server whose data lives under the data dir; reused across starts.

    The server keeps running while this process holds it and stops when the process exits.
    """

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata.resolve()
        self._server = None

    def start(self) -> str:
        """Start (or join) the server and return an asyncpg URL for its `postgres` database."""
        try:
            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():
                # it looks up a runtime dir it does not need; containers and CI have none
                warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
                import pgserver

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
            self._server.cleanup()
            self._server = None


def pg_binary(name: str) -> str:
    """A PostgreSQL program (pg_dump, pg_restore, pg_ctl) shipped with the embedded server."""
    import pgserver

    return str(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)
