"""The bell in the header: unread count, live; opening it lists the latest and marks them read."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_processing  # noqa: F401
from backend.domain.processing import services
from backend.infra.events import Event
from frontend.components.icons import icon
from frontend.context import use_session
from frontend.hooks.live import use_live_events


@component
def NotificationBell():
    session = use_session()
    t = session.t
    principal = session.principal
    unread, set_unread = use_state(0)
    items, set_items = use_state(None)
    tick, set_tick = use_state(0)

    @use_effect(dependencies=[tick])
    async def load():
        set_unread(await services.unread_count(principal.user_id))

    def on_event(event: Event) -> None:
        if event.type.startswith("notification."):
            set_tick(lambda n: n + 1)

    use_live_events([f"user:{principal.user_id}"], on_event)

    async def toggle(_):
        if items is None:
            set_items(await services.notifications(principal.user_id))
            await services.mark_all_read(principal.user_id)
        else:
            set_items(None)

    return html.div(
        {"class_name": "bell"},
        html.button({"type": "button", "class_name": "bell-button", "id": "notification-bell", "on_click": toggle,
                     "aria-expanded": "true" if items is not None else "false",
                     "aria-label": t("notifications.unread", count=unread)},
                    icon("bell"), html.span({"class_name": "bell-count", "id": "notification-count"}, str(unread)) if unread else ""),
        html.div({"class_name": "bell-panel card", "id": "notification-panel"},
                 html.h2(t("notifications.title")),
                 html.ul(*[html.li({"key": str(n["id"])}, n["message"]) for n in items]) if items else html.p(t("notifications.empty")))
        if items is not None else "",
    )
