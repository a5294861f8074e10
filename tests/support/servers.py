"""Real PostgreSQL and Redis for the test session: a fresh database cloned from a migrated template."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from backend.infra.db import clone_database, database_exists, drop_database, ensure_database, with_database
from backend.infra.embedded import EmbeddedRedis, start_postgres

ROOT = Path(__file__).resolve().parents[2]


def migrations_fingerprint() -> str:
    """Changes whenever a migration or a table changes, so a stale template is never reused."""
    digest = hashlib.sha256()
    digest.update((ROOT / "backend" / "infra" / "db.py").read_bytes())  # migrate() also grants the app role
    for folder in (ROOT / "migrations", ROOT / "backend" / "domain"):
        for path in sorted(folder.rglob("*.py")):
            if path.parent.name == "__pycache__":
                continue
            if folder.name == "migrations" or path.name in {"tables.py", "piccolo_app.py"}:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class TestServers:
    def __init__(self) -> None:
        self.redis: EmbeddedRedis | None = None
        self.pg = None
        self.database_url = ""
        self.database = f"chorale_test_{os.getpid()}_{int(time.time())}"
        self.external = bool(os.environ.get("DATABASE_URL"))
        self._own_storage = False

    def start(self) -> None:
        base = Path(os.environ.get("CHORALE_TEST_DATA_DIR", ROOT / ".data" / "test"))
        base.mkdir(parents=True, exist_ok=True)
        if not self.external:
            self.pg = start_postgres(base / "pg")
            server_url = self.pg.get_uri("postgres")
        else:
            server_url = os.environ["DATABASE_URL"]
        self.server_url = server_url
        self.template = template = f"chorale_tpl_{migrations_fingerprint()}"
        # Several test runs may share the cluster: one builds a missing template while the others wait.
        with open(base / "template.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._ensure_template(server_url, template, base)
        self.database_url = asyncio.run(clone_database(server_url, template, self.database))
        if not os.environ.get("REDIS_URL"):
            self.redis = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="chorale-redis-"))).start(persistent=False)
            os.environ["REDIS_URL"] = self.redis.url
        os.environ["DATABASE_URL"] = self.database_url
        if not self.external:
            # Live apps connect as `just run`'s do: as the role that owns nothing (the template's migration
            # granted it); the tests themselves keep the owner's connection to arrange and inspect.
            from backend.infra.db import as_role

            os.environ["CHORALE_TEST_APP_DATABASE_URL"] = as_role(self.database_url)
        os.environ.setdefault("CHORALE_DATA_DIR", str(base))
        self._own_storage = "STORAGE_DIR" not in os.environ
        os.environ.setdefault("STORAGE_DIR", tempfile.mkdtemp(prefix="chorale-storage-"))
        os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
        os.environ["CHORALE_DEMO"] = "0"
        os.environ["CHORALE_WEBHOOK_LOOPBACK"] = "1"  # the tests' webhook receivers listen on 127.0.0.1
        os.environ.setdefault("CHORALE_DEV_MAILBOX", "1")
        os.environ.setdefault("CHORALE_RATE_LIMITS", "0")  # thousands of logins from one address; tests/security turns them on  # the tests read activation and reset links there

    @staticmethod
    def _ensure_template(server_url: str, template: str, base: Path) -> None:
        if asyncio.run(database_exists(server_url, template)):
            return
        template_url = with_database(server_url, template)
        asyncio.run(ensure_database(template_url))
        env = {**os.environ, "DATABASE_URL": template_url, "CHORALE_DATA_DIR": str(base)}
        result = subprocess.run([sys.executable, "-m", "backend.cli", "migrate"], env=env, cwd=ROOT,
                                capture_output=True, text=True)
        if result.returncode != 0:
            asyncio.run(drop_database(server_url, template))
            raise RuntimeError(f"migrating the template failed:\n{result.stdout}\n{result.stderr}")

    def stop(self) -> None:
        try:
            asyncio.run(drop_database(self.server_url, self.database))
        except Exception:
            pass
        if self.redis is not None:
            self.redis.stop()
            shutil.rmtree(self.redis.directory, ignore_errors=True)
        shutil.rmtree(os.environ.get("STORAGE_DIR", ""), ignore_errors=True) if self._own_storage else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveApp:
    """The app (uvicorn) and its ARQ worker as real processes, as `just run` starts them."""

    def __init__(self, *, port: int | None = None, worker: bool = True, env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.with_worker = worker
        self.env = {**os.environ, **(env or {})}
        if "DATABASE_URL" not in (env or {}) and os.environ.get("CHORALE_TEST_APP_DATABASE_URL"):
            self.env["DATABASE_URL"] = os.environ["CHORALE_TEST_APP_DATABASE_URL"]
        self.processes: list[subprocess.Popen] = []
        self.log_dir = Path(tempfile.mkdtemp(prefix="chorale-live-"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, name: str, *args: str) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")
        self.processes.append(subprocess.Popen([sys.executable, "-m", "backend.cli", *args], env=self.env, cwd=ROOT,
                                               stdout=log, stderr=subprocess.STDOUT))

    def start(self) -> "LiveApp":
        self._spawn("app", "serve", "--host", "127.0.0.1", "--port", str(self.port))
        if self.with_worker:
            self._spawn("worker", "worker")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"live app did not start; logs in {self.log_dir}:\n" + self.logs())

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in self.log_dir.glob("*.log"))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        if not os.environ.get("CHORALE_KEEP_LOGS"):
            shutil.rmtree(self.log_dir, ignore_errors=True)
