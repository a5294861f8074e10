"""The structures slice's pure rules: what an organisation change may do, whom it tells."""

from __future__ import annotations

import shared.i18n_organisation  # noqa: F401  (registers the texts of its refusals)
from shared.applications import Application, Level
from shared.errors import DomainError

MAX_COMMENT = 1000

# The applications a gestionnaire assigns on the Habilitations and Approbations screens, in the guide's order.
ASSIGNABLE = (Application.ORGANISATION, Application.FACTURES_EMISES, Application.FACTURES_RECUES, Application.FACTURES_A_VALIDER,
              Application.FACTURES_TRAVAUX, Application.ENGAGEMENTS, Application.SOLLICITATIONS_EMISES)


class RuleError(DomainError):
    """An organisation rule refused (texts: shared/i18n_organisation.py)."""


def required_comment(comment: str | None, field: str = "comment") -> str:
    """The comment a request, a refusal or a detachment must carry (the guide: « commentaire obligatoire »)."""
    text = (comment or "").strip()
    if not text:
        raise RuleError("commentaire_obligatoire", field, variant="organisation")
    if len(text) > MAX_COMMENT:
        raise RuleError("commentaire_trop_long", field, limit=MAX_COMMENT)
    return text


def services_asked(service_ids: list[int] | None, active: set[int] | dict[int, object]) -> list[int]:
    """The services a rattachement asks for, each once and in order; none is the whole structure (the
    guide's « maille structure »). A service that is not one of the structure's active ones is refused
    rather than dropped: the person would otherwise be attached more widely than they asked."""
    chosen = sorted(set(service_ids or []))
    if any(s not in active for s in chosen):
        raise RuleError("service_inconnu", "services")
    return chosen


def profile_choice(profiles: dict[str, str | None]) -> dict[str, str | None]:
    """The profiles a gestionnaire chose, by application: a level, or None to remove it. Unknown
    applications or levels are refused rather than ignored."""
    known = {str(a) for a in ASSIGNABLE}
    chosen: dict[str, str | None] = {}
    for application, level in profiles.items():
        if application not in known:
            raise RuleError("application_inconnue", "profiles")
        if level not in (None, "", *(str(lv) for lv in Level)):
            raise RuleError("niveau_inconnu", "profiles")
        chosen[application] = level or None
    return chosen


def keeps_principal_manager(profiles: dict[str, str | None]) -> bool:
    """The gestionnaire principal keeps « Organisation modification » (the guide: their role)."""
    return profiles.get(str(Application.ORGANISATION), str(Level.MODIFICATION)) == str(Level.MODIFICATION)


def mail_wanted(notify_all: bool) -> bool:
    """Organisation news (rattachements) are not billing events: only « Tous » asks for them by mail."""
    return bool(notify_all)


def validator_needs_workspace(workspace_on: bool, has_profile: bool) -> bool:
    """Whether a validating structure's gestionnaire must be told an invoice waits in a workspace they
    have not switched on (with a link that switches it on)."""
    return not (workspace_on and has_profile)
