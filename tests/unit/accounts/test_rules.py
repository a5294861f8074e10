from __future__ import annotations

from backend.domain.accounts import rules


def test_a_reset_link_dies_at_its_fifth_wrong_answer():
    assert [rules.reset_link_spent_by_failure(n) for n in range(5)] == [False, False, False, False, True]
