"""Making the French rules blocking is an organisation change: closed to support acting as a gestionnaire
unless actions were enabled (then journaled as support's), and to every other structure's people."""

from __future__ import annotations

import pytest

from backend.domain.lots.services import french_rules, set_french_rules
from backend.infra.errors import ChoraleError
from tests.api.organisation.test_organisation import principal_of
from tests.support.factories import make_user, supplier_with_structure


async def test_support_acting_as_a_gestionnaire_changes_the_french_rules_only_once_actions_are_enabled(app):
    manager, structure = await supplier_with_structure()
    support = await make_user(is_support=True)
    acting = dict(impersonator_id=support["id"], impersonator_email=support["email"], impersonation_id=1)
    with pytest.raises(ChoraleError) as blocked:
        await set_french_rules(principal_of(manager, **acting), structure["id"], True)
    assert blocked.value.code == "bloque_pendant_intervention"
    assert (await french_rules(principal_of(manager, **acting), structure["id"]))["blocking"] is False  # reading stays open
    changed = await set_french_rules(principal_of(manager, actions_enabled=True, **acting), structure["id"], True)
    assert changed["blocking"] is True
    from backend.domain.structures import organisation

    journal = await organisation.journal(principal_of(manager), structure["id"])
    assert journal[0]["kind"] == "regles_francaises" and support["email"] in journal[0]["acting_as"]


async def test_another_structure_s_gestionnaire_cannot_see_or_change_the_setting(app):
    _, structure = await supplier_with_structure()
    other, _ = await supplier_with_structure()
    for use_case in (lambda p: french_rules(p, structure["id"]), lambda p: set_french_rules(p, structure["id"], True)):
        with pytest.raises(ChoraleError) as hidden:
            await use_case(principal_of(other))
        assert hidden.value.status_code == 404
