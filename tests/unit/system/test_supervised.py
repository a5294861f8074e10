"""`run`'s supervision of its children: a death noticed, a restart after a pause that doubles, then resets."""

from __future__ import annotations

from backend import cli


class FakeProcess:
    def __init__(self, pid: int) -> None:
        self.pid, self.code = pid, None

    def poll(self):
        return self.code


def test_a_dead_child_is_restarted_after_a_pause_that_doubles_and_resets_once_it_ran_a_minute(monkeypatch, capsys):
    now = [1000.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])
    started: list[FakeProcess] = []

    def start() -> FakeProcess:
        started.append(FakeProcess(len(started) + 1))
        return started[-1]

    child = cli.Supervised("Le worker", start)
    child.watch()
    assert len(started) == 1  # alive: left alone

    def die_and_wait(seconds: float) -> None:
        child.process.code = -9
        child.watch()  # noticed
        now[0] += seconds - 0.01
        child.watch()
        assert child.process is started[-1] and child.process.code == -9, "restarted before its pause"
        now[0] += 0.01
        child.watch()
        assert child.process is started[-1] and child.process.code is None, "not restarted after its pause"

    die_and_wait(1)
    die_and_wait(2)  # it died at once again: a longer pause
    die_and_wait(4)
    now[0] += 61  # then it ran for a minute: the next death is met with the first pause again
    die_and_wait(1)
    output = capsys.readouterr().out
    assert "Le worker s'est arrêté (code -9) ; redémarrage dans 4 s." in output and "Le worker redémarré (pid 5)." in output


def test_the_pause_stops_growing_at_30_s(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])
    child = cli.Supervised("L'application", lambda: FakeProcess(1))
    for _ in range(8):
        child.process.code = 1
        child.watch()
        now[0] += 60
        child.watch()
    assert child.pause == cli.Supervised.LONGEST_PAUSE


def test_a_restart_that_fails_is_tried_again_later_instead_of_stopping_run(monkeypatch, capsys):
    now = [0.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])
    attempts = []

    def start() -> FakeProcess:
        attempts.append(now[0])
        if len(attempts) == 2:
            raise RuntimeError("socket busy")
        return FakeProcess(len(attempts))

    child = cli.Supervised("Redis (embarqué)", start)
    child.process.code = 1
    child.watch()
    now[0] += 1
    child.watch()  # the failing attempt
    assert "n'a pas redémarré (socket busy) ; nouvel essai dans 2 s." in capsys.readouterr().out
    now[0] += 2
    child.watch()
    assert attempts == [0.0, 1.0, 3.0] and child.process.poll() is None
