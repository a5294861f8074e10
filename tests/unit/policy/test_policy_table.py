"""Every Action × every kind of principal, with the expected decision (the policy's pure rules).

One structure (S) is the target of every structure action; the principals differ by what they hold on
it. Adding an Action without a row here fails `test_every_action_has_a_row`.
"""

from __future__ import annotations

import pytest

from backend.domain.accounts.identity import Principal
from backend.domain.policy.rules import LABELS, NEEDS, WHILE_ACTING, Action, Reason, Target, decide, structures_allowing
from backend.domain.structures.permissions import Grant, StructureRef, parse_grants
from shared.applications import Application, Level

S, OTHER = 1, 2
ALL_APPLICATIONS = tuple(Application)


def _grants(structure_id: int, level: Level, applications=ALL_APPLICATIONS, *, principal: bool = False, services=None):
    return tuple(Grant(structure_id, str(a), StructureRef(structure_id, "12345678900011", "S", None, False, level, services),
                       is_principal=principal) for a in applications)


def _user(user_id: int, **extra) -> Principal:
    return Principal(user_id=user_id, email=f"u{user_id}@x.fr", display_name="U", **extra)


ACTING = dict(impersonator_id=99, impersonator_email="agent@support.fr", impersonation_id=7)
# kind of principal -> (who, grants)
PRINCIPALS = {
    "consultation": (_user(1), _grants(S, Level.CONSULTATION)),
    "modification": (_user(2), _grants(S, Level.MODIFICATION)),
    "principal": (_user(3), _grants(S, Level.MODIFICATION, principal=True)),
    "other_structure": (_user(4), _grants(OTHER, Level.MODIFICATION, principal=True)),
    "recipient": (_user(5), _grants(S, Level.MODIFICATION, (Application.FACTURES_RECUES,))),
    "validator": (_user(6), _grants(S, Level.MODIFICATION, (Application.FACTURES_A_VALIDER, Application.FACTURES_TRAVAUX))),
    "support": (_user(7, is_support=True), ()),
    # Support acting as the gestionnaire principal: before, then after enabling actions.
    "acting_as": (_user(3, **ACTING), _grants(S, Level.MODIFICATION, principal=True)),
    "acting_as_enabled": (_user(3, actions_enabled=True, **ACTING), _grants(S, Level.MODIFICATION, principal=True)),
}
KINDS = tuple(PRINCIPALS)

# One column per kind, in KINDS' order: Y allowed, - refused.
#                                    cons mod  gp  other recip valid supp acting acting+enabled
TABLE: dict[Action, str] = {
    Action.VIEW_ISSUED:               "Y    Y    Y    -     -     -     -    Y      Y",
    Action.DEPOSIT:                   "-    Y    Y    -     -     -     -    -      Y",
    Action.EDIT_DRAFT:                "-    Y    Y    -     -     -     -    -      Y",
    Action.SEND:                      "-    Y    Y    -     -     -     -    -      Y",
    Action.DUPLICATE:                 "-    Y    Y    -     -     -     -    -      Y",
    Action.COMPLETE:                  "-    Y    Y    -     -     -     -    -      Y",
    Action.UPLOAD_LOT:                "-    Y    Y    -     -     -     -    -      Y",
    Action.VIEW_LOTS:                 "Y    Y    Y    -     -     -     -    Y      Y",
    Action.VIEW_RECEIVED:             "Y    Y    Y    -     Y     -     -    Y      Y",
    Action.VALIDATE:                  "-    Y    Y    -     Y     -     -    -      Y",
    Action.REFUSE:                    "-    Y    Y    -     Y     -     -    -      Y",
    Action.SUSPEND:                   "-    Y    Y    -     Y     -     -    -      Y",
    Action.PUT_IN_PAYMENT:            "-    Y    Y    -     Y     -     -    -      Y",
    Action.VIEW_AS_HOLDER:            "Y    Y    Y    -     -     Y     -    Y      Y",
    Action.PROCESS_AS_HOLDER:         "-    Y    Y    -     -     Y     -    -      Y",
    Action.VIEW_AS_PROJECT_MANAGER:   "Y    Y    Y    -     -     Y     -    Y      Y",
    Action.PROCESS_AS_PROJECT_MANAGER: "-    Y    Y    -     -     Y     -    -      Y",
    Action.DASHBOARD:                 "Y    Y    Y    Y     Y     Y     Y    Y      Y",
    Action.EXPORT:                    "Y    Y    Y    Y     Y     Y     Y    Y      Y",
    Action.ORGANISATION_READ:         "Y    Y    Y    -     -     -     -    Y      Y",
    Action.ORGANISATION_MODIFY:       "-    Y    Y    -     -     -     -    -      Y",
    Action.BILLING_MANDATE:           "-    -    Y    -     -     -     -    -      Y",
    Action.APPROVE_ATTACHMENT:        "-    -    Y    -     -     -     -    -      Y",
    Action.REQUEST_ATTACHMENT:        "Y    Y    Y    Y     Y     Y     Y    -      Y",
    Action.CONNECTION_MANAGE:         "-    -    Y    -     -     -     -    -      -",
    Action.FRENCH_RULES:              "-    Y    Y    -     -     -     -    -      Y",
    Action.ACCOUNT_VIEW:              "Y    Y    Y    Y     Y     Y     Y    Y      Y",
    Action.ACCOUNT_DETAILS:           "Y    Y    Y    Y     Y     Y     Y    -      Y",
    Action.CHANGE_PASSWORD:           "Y    Y    Y    Y     Y     Y     Y    -      -",
    Action.CHANGE_EMAIL:              "Y    Y    Y    Y     Y     Y     Y    -      -",
    Action.CHANGE_SECRET_QUESTION:    "Y    Y    Y    Y     Y     Y     Y    -      -",
    Action.SOLLICITATION_CREATE:      "Y    Y    Y    Y     Y     Y     Y    -      -",
    Action.SOLLICITATION_VIEW:        "Y    Y    Y    Y     Y     Y     Y    Y      Y",
    Action.SOLLICITATION_REPLY:       "Y    Y    Y    Y     Y     Y     Y    -      -",
    Action.SUPPORT_TOOLS:             "-    -    -    -     -     -     Y    -      -",
    Action.SUPPORT_IMPERSONATE:       "-    -    -    -     -     -     Y    -      -",
    Action.SUPPORT_ANSWER:            "-    -    -    -     -     -     Y    -      -",
}

CASES = [(action, kind, mark == "Y") for action, row in TABLE.items() for kind, mark in zip(KINDS, row.split(), strict=True)]


def test_every_action_has_a_row():
    assert set(TABLE) == set(Action), f"actions without a row: {sorted(set(Action) - set(TABLE))}"
    assert set(NEEDS) == set(Action) and set(LABELS) == set(Action)


@pytest.mark.parametrize(("action", "kind", "allowed"), CASES, ids=[f"{a.value}-{k}" for a, k, _ in CASES])
def test_policy_table(action: Action, kind: str, allowed: bool):
    who, grants = PRINCIPALS[kind]
    assert decide(who, grants, action, Target(S)).allowed is allowed


def test_refusals_say_why():
    """The reason decides the answer: 404 (existence not revealed) or 403 (attached, not allowed)."""
    def reason(kind: str, action: Action, target: Target = Target(S)) -> Reason:
        who, grants = PRINCIPALS[kind]
        return decide(who, grants, action, target).reason
    assert reason("other_structure", Action.VIEW_ISSUED) is Reason.NOT_ATTACHED
    assert reason("recipient", Action.DEPOSIT) is Reason.NO_PROFILE
    assert reason("consultation", Action.DEPOSIT) is Reason.CONSULTATION
    assert reason("modification", Action.BILLING_MANDATE) is Reason.NOT_PRINCIPAL
    assert reason("acting_as", Action.SEND) is Reason.NEEDS_ACTIONS_ENABLED
    assert reason("acting_as_enabled", Action.CHANGE_PASSWORD) is Reason.BLOCKED_WHILE_ACTING
    assert reason("acting_as", Action.SUPPORT_TOOLS) is Reason.NOT_SUPPORT
    assert reason("modification", Action.VIEW_ISSUED, Target()) is Reason.NO_TARGET
    # Someone else's structure answers 404 even during an intervention: the intervention adds limits only.
    assert reason("acting_as", Action.SEND, Target(OTHER)) is Reason.NOT_ATTACHED


def test_the_impersonation_table_is_denied_by_default():
    """An action the table does not list is refused while acting as a user, with or without actions enabled."""
    who, grants = PRINCIPALS["acting_as_enabled"]
    unlisted = set(Action) - set(WHILE_ACTING)
    assert unlisted >= {Action.CHANGE_PASSWORD, Action.CHANGE_EMAIL, Action.CHANGE_SECRET_QUESTION, Action.SUPPORT_IMPERSONATE}
    assert not any(decide(who, grants, action, Target(S)).allowed for action in unlisted)


def test_services_limit_what_a_service_user_sees():
    """A user attached to service 10 sees its invoices and the supplier's unscoped ones, not another
    service's; on the recipient side an invoice to the whole structure is not theirs either."""
    who = _user(8)
    grants = _grants(S, Level.MODIFICATION, services=(10,))
    assert decide(who, grants, Action.VIEW_ISSUED, Target(S, 10)).allowed
    assert decide(who, grants, Action.VIEW_ISSUED, Target(S, None)).allowed
    assert decide(who, grants, Action.VIEW_ISSUED, Target(S, 11)).reason is Reason.OUTSIDE_SERVICES
    assert decide(who, grants, Action.VIEW_RECEIVED, Target(S, None, whole_structure_only=True)).reason is Reason.OUTSIDE_SERVICES
    assert decide(who, grants, Action.VIEW_RECEIVED, Target(S, 10, whole_structure_only=True)).allowed


def test_a_service_level_profile_has_its_own_level_on_each_service():
    """Modification on service 10, consultation on service 11 of the same structure (issue 15): each
    invoice is decided with its service's level; with no service, the lowest of them."""
    who = _user(10)
    ref = StructureRef(S, "12345678900011", "S", None, True, Level.CONSULTATION, (10, 11),
                       service_levels=((10, Level.MODIFICATION), (11, Level.CONSULTATION)))
    grants = (Grant(S, str(Application.FACTURES_RECUES), ref),)
    assert decide(who, grants, Action.VALIDATE, Target(S, 10)).allowed
    assert decide(who, grants, Action.VALIDATE, Target(S, 11)).reason is Reason.CONSULTATION
    assert decide(who, grants, Action.VIEW_RECEIVED, Target(S, 11)).allowed
    assert decide(who, grants, Action.VALIDATE, Target(S, 12)).reason is Reason.OUTSIDE_SERVICES
    assert decide(who, grants, Action.VALIDATE, Target(S, None)).reason is Reason.CONSULTATION
    # lists: the structure is offered for processing (on service 10), once
    assert [r.id for r in structures_allowing(who, grants, Action.VALIDATE)] == [S]
    only_consultation = (Grant(S, str(Application.FACTURES_RECUES), StructureRef(
        S, "12345678900011", "S", None, True, Level.CONSULTATION, (11,), service_levels=((11, Level.CONSULTATION),))),)
    assert structures_allowing(who, only_consultation, Action.VALIDATE) == []


def test_grants_read_from_the_database_carry_the_levels_per_service():
    """parse_grants: a profile on services only takes the lowest of their levels as the structure's."""
    row = [S, "12345678900011", "S", None, True, "factures_recues", None, False, [10, 11], False,
           [[10, "modification"], [11, "consultation"]]]
    [grant] = parse_grants([row])
    assert grant.ref.level is Level.CONSULTATION and grant.ref.service_ids == (10, 11)
    assert grant.ref.service_levels == ((10, Level.MODIFICATION), (11, Level.CONSULTATION))
    older = [S, "12345678900011", "S", None, True, "factures_recues", "modification", True, [], True]
    [grant] = parse_grants([older])
    assert grant.is_principal and grant.ref.level is Level.MODIFICATION and grant.ref.service_levels == ()


def test_lists_offer_only_the_structures_the_action_is_allowed_on():
    who = _user(9)
    grants = _grants(S, Level.CONSULTATION) + _grants(OTHER, Level.MODIFICATION, (Application.FACTURES_EMISES,), principal=True)
    assert [r.id for r in structures_allowing(who, grants, Action.VIEW_ISSUED)] == [S, OTHER]
    assert [r.id for r in structures_allowing(who, grants, Action.DEPOSIT)] == [OTHER]
    assert [r.id for r in structures_allowing(who, grants, Action.BILLING_MANDATE)] == [OTHER]
    with pytest.raises(ValueError):
        structures_allowing(who, grants, Action.DASHBOARD)


def test_a_grant_without_the_principal_fact_is_not_a_principal_one():
    """Grants built before the flag existed (or by another kind of grant) default to no such role."""
    assert Grant(S, str(Application.ORGANISATION), None).is_principal is False
