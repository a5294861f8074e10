"""State whose newest value event handlers can read at once.

ReactPy calls an event handler from the last render. A click that follows a keystroke closely (type,
then « Enregistrer » at once) can reach the server before the re-render the keystroke caused, and its
handler would read the state of the render before: what was just typed would be lost. Handlers that
send a form read `ref.current`, which every update sets immediately.
"""

from __future__ import annotations

from typing import Any

from reactpy import use_ref, use_state


def use_latest_state(initial: Any):
    """(value for rendering, update(value or function of the old value), ref whose .current is the newest)."""
    value, set_value = use_state(initial)
    ref = use_ref(value)

    def update(new: Any) -> None:
        ref.current = new(ref.current) if callable(new) else new
        set_value(ref.current)

    return value, update, ref
