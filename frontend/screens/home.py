"""Accueil: what Chorale is, and a live-updates check any user can run."""

from __future__ import annotations

from reactpy import component, html, use_state

from backend.domain.system.services import start_live_check
from backend.infra.events import Event
from frontend.context import use_session
from frontend.hooks.live import use_live_events


@component
def LiveCheck():
    session = use_session()
    steps, set_steps = use_state(())
    running, set_running = use_state(False)

    def on_event(event: Event) -> None:
        if event.type == "job.progress":
            set_steps(lambda old: (*old, event.data["step"]))
            if event.data["index"] == event.data["total"]:
                set_running(False)

    use_live_events([session.session_topic], on_event)

    async def handle_click(_):
        set_steps(())
        set_running(True)
        await start_live_check(session.session_topic)

    return html.section(
        {"class_name": "card", "aria-labelledby": "live-check-title"},
        html.h2({"id": "live-check-title"}, session.t("live.connected")),
        html.button(
            {"type": "button", "class_name": "btn btn-secondary", "id": "live-check", "on_click": handle_click,
             "disabled": running, "aria-busy": "true" if running else "false"},
            session.t("live.check"),
        ),
        html.ol(
            {"class_name": "steps", "aria-live": "polite", "id": "live-check-steps"},
            *[html.li({"key": step, "class_name": "step done", "data-step": step}, session.t(f"live.step.{step}")) for step in steps],
        ),
    )


@component
def HomeScreen():
    session = use_session()
    return html.div(
        {"class_name": "screen home"},
        html.h1(session.t("home.title")),
        html.p({"class_name": "lead"}, session.t("home.intro")),
        LiveCheck(),
    )
