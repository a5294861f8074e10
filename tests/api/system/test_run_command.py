"""`just run`'s command end to end: embedded servers, migrations, demo data, app and worker, Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from tests.support.servers import ROOT, free_port


def _start(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "STORAGE_DIR", "SECRET_KEY")}
    env.update(CHORALE_DATA_DIR=str(data_dir), PORT=str(port), CHORALE_DEMO="1")
    return subprocess.Popen([sys.executable, "-m", "backend.cli", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the app did not become healthy")


def _servers_of(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(data_dir) in cmdline and ("postgres" in cmdline or "redis-server" in cmdline):
            found.append(process)
    return found


def test_run_serves_the_demo_stops_cleanly_on_ctrl_c_and_reuses_its_data():
    data_dir = Path(tempfile.mkdtemp(prefix="chorale-run-", dir=ROOT / ".data"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    try:
        first = _start(data_dir, port)
        _wait_healthy(url, first)
        login = httpx.post(url + "/api/auth/session", json={"email": "fournisseur@demo.chorale.fr", "password": "Chorale-Demo-2026!"})
        assert login.status_code == 200
        assert _servers_of(data_dir), "embedded servers should run under the data folder"
        os.killpg(first.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
        output = first.communicate(timeout=60)[0]
        assert "Chorale est prêt" in output and "fournisseur@demo.chorale.fr" in output
        deadline = time.monotonic() + 15
        while _servers_of(data_dir) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _servers_of(data_dir) == [], "no postgres or redis may outlive `run`"

        second = _start(data_dir, port)
        _wait_healthy(url, second)
        os.killpg(second.pid, signal.SIGINT)
        output = second.communicate(timeout=60)[0]
        assert "déjà présentes" in output  # the data of the first run was found again
    finally:
        for process in _servers_of(data_dir):
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
