"""The structures slice's pure rules, as the guide's « Rattacher un utilisateur » reads."""

from __future__ import annotations

import pytest

from backend.domain.structures import rules


def test_no_service_asked_is_a_request_for_the_whole_structure():
    assert rules.services_asked([], {7, 9}) == []
    assert rules.services_asked(None, {7, 9}) == []


def test_services_asked_are_kept_once_each_in_order():
    assert rules.services_asked([9, 7, 9], {7: "COMPTA", 9: "TECH"}) == [7, 9]


@pytest.mark.parametrize("asked", [[8], [7, 8], [-1]])
def test_a_service_that_is_not_an_active_one_of_the_structure_is_refused(asked):
    with pytest.raises(rules.RuleError) as refused:
        rules.services_asked(asked, {7, 9})
    assert (refused.value.code, refused.value.field) == ("service_inconnu", "services")
    assert "n'existe pas" in refused.value.message("fr") and "no longer active" in refused.value.message("en")


def test_a_structure_without_services_refuses_any():
    with pytest.raises(rules.RuleError):
        rules.services_asked([1], set())
