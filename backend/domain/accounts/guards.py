"""What support may not do while acting as a user, and the one check every slice calls before such an action.

The table is the policy's (`policy.rules.WHILE_ACTING`, keyed by the `Action` enum and denied by default:
an action it does not list is refused during an intervention). This module turns its refusal into the
error the routes give. It lives with the identity (the Principal says who acts and whether actions were
enabled) so that accounts' own use cases (password, e-mail, rattachements) check it without importing
the slices that import accounts.
"""

from __future__ import annotations

from backend.domain.accounts.identity import Principal
from backend.domain.policy.rules import LABELS, Action, Reason, while_acting
from backend.infra.errors import Forbidden

__all__ = ["Action", "blocked", "blocked_error", "refuse_while_impersonating"]


def blocked(principal: Principal, action: Action) -> bool:
    return while_acting(principal, Action(action)) is not None


def blocked_error(action: Action, reason: Reason) -> Forbidden:
    label_fr, label_en = LABELS[action]
    return Forbidden("activable" if reason is Reason.NEEDS_ACTIONS_ENABLED else "toujours", code="bloque_pendant_intervention",
                     label=label_fr, label_en=label_en)


def refuse_while_impersonating(principal: Principal | None, action: Action) -> None:
    """`Action(action)`: a key that names no action raises instead of passing unblocked."""
    action = Action(action)
    reason = None if principal is None else while_acting(principal, action)
    if reason is not None:
        raise blocked_error(action, reason)
