"""`backend.cli run` (what `just run` calls) keeps its children alive: a killed app or worker comes back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil

from tests.faults.conftest import health, wait_until
from tests.support.servers import ROOT, free_port


def _child(run: psutil.Process, command: str) -> psutil.Process | None:
    for child in run.children():
        try:
            if child.cmdline()[-1:] == [command] or command in child.cmdline()[3:4]:
                return child
        except psutil.NoSuchProcess:
            pass
    return None


def test_run_restarts_a_killed_worker_and_a_killed_app_then_stops_on_ctrl_c(own_redis, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "run.log", "w+")
    # The session's database and a Redis of its own: no embedded servers to start, the supervision alone tested.
    env = {**os.environ, "PORT": str(port), "REDIS_URL": own_redis.url, "CHORALE_DEMO": "0"}
    run = subprocess.Popen([sys.executable, "-m", "backend.cli", "run"], cwd=ROOT, env=env, stdout=log,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = lambda: (log.seek(0), log.read())[1]  # noqa: E731
    try:
        supervisor = psutil.Process(run.pid)
        wait_until(lambda: health(url) == 200, 120, "the app answers", output)
        for command in ("worker", "serve"):
            victim = _child(supervisor, command)
            assert victim is not None, output()
            victim.kill()
            wait_until(lambda: (c := _child(supervisor, command)) is not None and c.pid != victim.pid, 15,
                       f"a new {command} process", output)
            assert run.poll() is None, "run stopped with its child\n" + output()
        wait_until(lambda: health(url) == 200, 120, "the restarted app answers", output)
        assert "s'est arrêté (code -9) ; redémarrage dans 1 s" in output() and "redémarré (pid" in output()
        children = supervisor.children()
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C still stops everything
        run.wait(30)
        assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE], output()
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
        log.close()
