"""What the policy allows the session's user, for screens to show only what it allows (issue 14):
a consultation profile sees no Déposer, Reprendre, Compléter, Dupliquer or Saisir."""

from __future__ import annotations

from reactpy import use_effect, use_state

from backend.domain.structures.permissions import Action, allowed_structures
from frontend.context import use_session


class Allowed(dict):
    """Action -> the ids of the structures it is allowed on; `ready` once the policy answered (screens
    mark it `data-policy="ready"`, so a test knows an absent button is absent, not late)."""

    ready: bool = False

    def marker(self) -> str:
        return "ready" if self.ready else "loading"


def use_allowed(*actions: Action) -> Allowed:
    """Per action, the ids of the structures it is allowed on (empty while loading: nothing is offered
    before the policy said so)."""
    session = use_session()
    allowed, set_allowed = use_state(lambda: Allowed({a: frozenset() for a in actions}))

    @use_effect(dependencies=[])
    async def load():
        found = Allowed({a: frozenset() for a in actions})
        if session.principal is not None:
            found = Allowed({a: frozenset(r.id for r in await allowed_structures(session.principal, a)) for a in actions})
        found.ready = True
        set_allowed(found)

    return allowed
