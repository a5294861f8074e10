"""Every (status, action, role) combination: the allowed ones as the guides describe, all others refused."""

from __future__ import annotations

import itertools

import pytest

from backend.domain.invoices import rules
from backend.domain.invoices.rules import Action, Role, TransitionError, available_actions, transition
from shared.cadres import Cadre
from shared.invoice_status import InvoiceStatus as S

A, R = Action, Role
PROCESSING = {A.VALIDATE: S.SERVICE_FAIT, A.REFUSE: S.REFUSEE, A.SUSPEND: S.SUSPENDUE, A.RECYCLE: S.A_RECYCLER,
              A.MANDATE: S.MANDATEE, A.PUT_IN_PAYMENT: S.MISE_EN_PAIEMENT}

# Written from the guides, independently of rules.TRANSITIONS, for an A1 invoice.
EXPECTED: dict[tuple[S, Action, Role], S] = {
    (S.PROVISOIRE, A.SAVE_DRAFT, R.SUPPLIER): S.BROUILLON,
    (S.BROUILLON, A.SAVE_DRAFT, R.SUPPLIER): S.BROUILLON,
    (S.A_RECYCLER, A.SAVE_DRAFT, R.SUPPLIER): S.A_RECYCLER,
    (S.PROVISOIRE, A.SEND, R.SUPPLIER): S.DEPOSEE,
    (S.BROUILLON, A.SEND, R.SUPPLIER): S.DEPOSEE,
    (S.A_RECYCLER, A.SEND, R.SUPPLIER): S.DEPOSEE,
    (S.DEPOSEE, A.ROUTE, R.SYSTEM): S.EN_COURS_ACHEMINEMENT,
    (S.DEPOSEE, A.REJECT, R.SYSTEM): S.REJETEE,
    (S.DEPOSEE, A.ROUTING_ERROR, R.SYSTEM): S.ERREUR_ACHEMINEMENT,
    (S.EN_COURS_ACHEMINEMENT, A.MAKE_AVAILABLE, R.SYSTEM): S.MISE_A_DISPOSITION,
    (S.EN_COURS_ACHEMINEMENT, A.ROUTING_ERROR, R.SYSTEM): S.ERREUR_ACHEMINEMENT,
    (S.EN_COURS_ACHEMINEMENT, A.RECYCLE, R.SYSTEM): S.A_RECYCLER,
    (S.EN_COURS_ACHEMINEMENT, A.REJECT, R.SYSTEM): S.REJETEE,
    (S.A_VALIDER_TITULAIRE, A.VALIDATE_HOLDER, R.HOLDER): S.MISE_A_DISPOSITION,
    (S.A_VALIDER_TITULAIRE, A.REFUSE, R.HOLDER): S.REFUSEE,
    (S.A_VALIDER_MOE, A.VALIDATE_MOE, R.PROJECT_MANAGER): S.A_VALIDER_MOA,
    (S.A_VALIDER_MOE, A.REFUSE, R.PROJECT_MANAGER): S.REFUSEE,
    (S.A_VALIDER_MOA, A.VALIDATE_MOA, R.RECIPIENT): S.MISE_A_DISPOSITION,
    (S.A_VALIDER_MOA, A.REFUSE, R.RECIPIENT): S.REFUSEE,
    **{(S.MISE_A_DISPOSITION, a, R.RECIPIENT): s for a, s in PROCESSING.items()},
    **{(S.COMPLETEE, a, R.RECIPIENT): s for a, s in PROCESSING.items()},
    (S.SUSPENDUE, A.COMPLETE, R.SUPPLIER): S.COMPLETEE,
    (S.SUSPENDUE, A.REFUSE, R.RECIPIENT): S.REFUSEE,
    (S.SERVICE_FAIT, A.MANDATE, R.RECIPIENT): S.MANDATEE,
    (S.SERVICE_FAIT, A.PUT_IN_PAYMENT, R.RECIPIENT): S.MISE_EN_PAIEMENT,
    (S.SERVICE_FAIT, A.SUSPEND, R.RECIPIENT): S.SUSPENDUE,
    (S.MANDATEE, A.PUT_IN_PAYMENT, R.RECIPIENT): S.MISE_EN_PAIEMENT,
}
ALL = list(itertools.product(S, Action, Role))


@pytest.mark.parametrize("status,action,role", [k for k in ALL if k in EXPECTED])
def test_an_allowed_move_gives_the_expected_status(status, action, role):
    assert transition(status, action, role, reason="motif") == EXPECTED[(status, action, role)]


@pytest.mark.parametrize("status,action,role", [k for k in ALL if k not in EXPECTED])
def test_every_other_move_is_refused_with_a_french_message(status, action, role):
    with pytest.raises(TransitionError) as refused:
        transition(status, action, role, reason="motif")
    assert refused.value.code == "transition_interdite" and "impossible" in refused.value.message_fr


@pytest.mark.parametrize("action", [A.REFUSE, A.SUSPEND, A.RECYCLE])
def test_refusing_suspending_and_recycling_need_a_reason(action):
    with pytest.raises(TransitionError) as refused:
        transition(S.MISE_A_DISPOSITION, action, R.RECIPIENT, reason="  ")
    assert refused.value.code == "motif_obligatoire"


def test_a_suspended_invoice_can_be_completed_by_its_supplier_and_goes_back_to_the_recipient():
    assert transition(S.SUSPENDUE, A.COMPLETE, R.SUPPLIER) == S.COMPLETEE
    assert A.VALIDATE in available_actions(S.COMPLETEE, R.RECIPIENT)


def test_optional_steps_may_be_skipped_straight_to_payment():
    assert transition(S.MISE_A_DISPOSITION, A.PUT_IN_PAYMENT, R.RECIPIENT) == S.MISE_EN_PAIEMENT


def test_a_subcontractor_invoice_waits_for_the_holder_then_reaches_the_recipient():
    assert transition(S.EN_COURS_ACHEMINEMENT, A.MAKE_AVAILABLE, R.SYSTEM, cadre=Cadre.A9) == S.A_VALIDER_TITULAIRE
    assert transition(S.EN_COURS_ACHEMINEMENT, A.MAKE_AVAILABLE, R.SYSTEM, cadre=Cadre.A12) == S.A_VALIDER_TITULAIRE
    assert transition(S.A_VALIDER_TITULAIRE, A.VALIDATE_HOLDER, R.HOLDER, cadre=Cadre.A9) == S.MISE_A_DISPOSITION


def test_works_invoices_go_through_the_project_manager_and_owner():
    assert transition(S.EN_COURS_ACHEMINEMENT, A.MAKE_AVAILABLE, R.SYSTEM, cadre=Cadre.A4) == S.A_VALIDER_MOE
    assert transition(S.A_VALIDER_TITULAIRE, A.VALIDATE_HOLDER, R.HOLDER, cadre=Cadre.A10) == S.A_VALIDER_MOE
    assert transition(S.A_VALIDER_MOE, A.VALIDATE_MOE, R.PROJECT_MANAGER, cadre=Cadre.A4) == S.A_VALIDER_MOA


def test_terminal_statuses_allow_nothing():
    for status in (S.REFUSEE, S.REJETEE, S.MISE_EN_PAIEMENT, S.ERREUR_ACHEMINEMENT):
        assert all(not available_actions(status, role) for role in Role)


def test_the_recipient_is_offered_exactly_the_processing_actions():
    assert set(available_actions(S.MISE_A_DISPOSITION, R.RECIPIENT)) == set(PROCESSING)
    assert available_actions(S.MISE_A_DISPOSITION, R.SUPPLIER) == []


@pytest.mark.parametrize("cadre", ["A9", "A10", "A11", "A12", "A13", "A14"])
def test_subcontractors_and_co_contractors_name_the_contract_holder(cadre):
    with pytest.raises(rules.InvoiceRuleError) as missing:
        rules.check_validator(rules.HOLDER, cadre, None)
    assert missing.value.code == "titulaire_obligatoire" and missing.value.field == "holder" and cadre in missing.value.message_fr
    rules.check_validator(rules.HOLDER, cadre, 42)


@pytest.mark.parametrize("cadre", ["A1", "A2", "A4", None])
def test_other_cadres_need_no_holder(cadre):
    rules.check_validator(rules.HOLDER, cadre, None)


@pytest.mark.parametrize(("cadre", "needed"), [("A4", True), ("A5", True), ("A7", True), ("A10", True), ("A14", True),
                                               ("A1", False), ("A2", False), ("A9", False), ("A12", False)])
def test_works_invoices_name_their_project_manager(cadre, needed):
    assert rules.PROJECT_MANAGER.needed(cadre) is needed
    if needed:
        with pytest.raises(rules.InvoiceRuleError) as missing:
            rules.check_validator(rules.PROJECT_MANAGER, cadre, None)
        assert missing.value.code == "moe_obligatoire" and missing.value.field == "project_manager"
        assert "maîtrise d'œuvre" in missing.value.message_fr
    else:
        rules.check_validator(rules.PROJECT_MANAGER, cadre, None)
    rules.check_validator(rules.PROJECT_MANAGER, cadre, 7)


def test_a_subcontractor_s_works_invoice_goes_to_the_holder_then_the_project_manager_then_the_owner():
    status = transition(S.EN_COURS_ACHEMINEMENT, A.MAKE_AVAILABLE, R.SYSTEM, cadre=Cadre.A10)
    assert status == S.A_VALIDER_TITULAIRE
    status = transition(status, A.VALIDATE_HOLDER, R.HOLDER, cadre=Cadre.A10)
    assert status == S.A_VALIDER_MOE
    status = transition(status, A.VALIDATE_MOE, R.PROJECT_MANAGER, cadre=Cadre.A10)
    assert status == S.A_VALIDER_MOA
    assert transition(status, A.VALIDATE_MOA, R.RECIPIENT, cadre=Cadre.A10) == S.MISE_A_DISPOSITION
