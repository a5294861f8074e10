"""Make ReactPy 1.1 keep its stack of rendering hooks per asyncio task, not per thread.

ReactPy 1.1 keeps the hook stack in a thread-local list while a layout renders, and awaits between a
parent and its children. Two browser sessions rendering at the same time on the app's one thread then
push onto the same stack, and a component inherits the context providers of another session's
component — another user's session, principal included (seen in the two-session processing test).
Each websocket renders in its own task, so a task-local stack isolates the sessions.
"""

from __future__ import annotations

import contextvars

from reactpy.core import _life_cycle_hook

_stack: contextvars.ContextVar[list | None] = contextvars.ContextVar("reactpy_hook_stack", default=None)


class _TaskLocalStack:
    def get(self) -> list:
        stack = _stack.get()
        if stack is None:
            stack = []
            _stack.set(stack)
        return stack


def apply() -> None:
    _life_cycle_hook._HOOK_STATE = _TaskLocalStack()  # type: ignore[assignment]


apply()
