"""`require_found`: a row fetched by id is refused with its own 404 when absent, then with the policy's
refusal, and handed back when allowed. The principal carries its grants, so no database is read."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from backend.domain.accounts.identity import Principal
from backend.domain.structures.permissions import Action, Grant, Reason, StructureRef, Target, require_found
from backend.infra.errors import Forbidden, NotFound
from shared.applications import Application, Level

S, OTHER = 1, 2


@dataclass(frozen=True)
class Row:
    id: int
    structure_id: int


def _principal(level: Level) -> Principal:
    ref = StructureRef(S, "12345678900011", "S", None, False, level, None)
    return Principal(user_id=1, email="u@x.fr", display_name="U", grants=(Grant(S, str(Application.FACTURES_EMISES), ref),))


def _on_structure(row: Row) -> Target:
    return Target(row.structure_id)


async def test_an_allowed_row_is_handed_back():
    row = Row(7, S)
    assert await require_found(_principal(Level.CONSULTATION), Action.VIEW_ISSUED, row, _on_structure,
                               missing=NotFound("lot")) is row


async def test_a_missing_row_gives_the_callers_own_not_found_before_asking_the_policy():
    def target(_row):
        raise AssertionError("the policy is not asked about a row that does not exist")

    with pytest.raises(NotFound) as raised:
        await require_found(_principal(Level.MODIFICATION), Action.VIEW_ISSUED, None, target, missing=lambda: NotFound("lot"))
    assert raised.value.variant == "lot"


async def test_a_row_of_another_structure_is_not_found_and_a_consultation_profile_is_forbidden():
    with pytest.raises(NotFound) as raised:
        await require_found(_principal(Level.MODIFICATION), Action.VIEW_ISSUED, Row(7, OTHER), _on_structure, missing=NotFound("lot"))
    assert raised.value.variant is None  # the policy's « Ressource introuvable », not the caller's
    with pytest.raises(Forbidden):
        await require_found(_principal(Level.CONSULTATION), Action.EDIT_DRAFT, Row(7, S), _on_structure, missing=NotFound("lot"))


async def test_the_callers_errors_replace_the_policys_refusal():
    with pytest.raises(NotFound) as raised:
        await require_found(_principal(Level.MODIFICATION), Action.VIEW_ISSUED, Row(7, OTHER), _on_structure, missing=NotFound("lot"),
                            errors={Reason.NOT_ATTACHED: lambda: NotFound("facture")})
    assert raised.value.variant == "facture"
