from __future__ import annotations

from backend.domain.accounts import rules


def test_a_reset_link_dies_at_its_fifth_wrong_answer():
    assert [rules.reset_link_spent_by_failure(n) for n in range(5)] == [False, False, False, False, True]


def test_a_person_is_named_by_first_and_last_name_or_else_by_their_email():
    assert rules.display_name("Camille", "Martin", "c@x.fr") == "Camille Martin"
    assert rules.display_name(None, "Martin", "c@x.fr") == "Martin"
    assert rules.display_name("", None, "c@x.fr") == rules.display_name("  ", "", "c@x.fr") == "c@x.fr"
