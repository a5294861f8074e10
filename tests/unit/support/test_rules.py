from backend.domain.accounts.identity import Principal
from backend.domain.accounts.guards import blocked
from backend.domain.policy.rules import Action
from backend.domain.support.rules import may_impersonate

USER = Principal(user_id=1, email="u@x.fr", display_name="U")
AS_USER = Principal(user_id=1, email="u@x.fr", display_name="U", impersonator_id=2, impersonator_email="s@x.fr", impersonation_id=3)
AS_USER_WITH_ACTIONS = Principal(user_id=1, email="u@x.fr", display_name="U", impersonator_id=2, impersonator_email="s@x.fr",
                                 impersonation_id=3, actions_enabled=True)


def test_a_user_acting_for_themself_is_never_blocked():
    assert not any(blocked(USER, a) for a in (Action.CHANGE_PASSWORD, Action.SEND))


def test_credentials_stay_blocked_while_impersonating_even_with_actions_enabled():
    assert blocked(AS_USER, Action.CHANGE_PASSWORD) and blocked(AS_USER_WITH_ACTIONS, Action.CHANGE_PASSWORD)
    assert blocked(AS_USER_WITH_ACTIONS, Action.CHANGE_EMAIL) and blocked(AS_USER_WITH_ACTIONS, Action.CHANGE_SECRET_QUESTION)


def test_invoices_and_mandates_unlock_only_with_enabled_actions():
    assert blocked(AS_USER, Action.SEND) and not blocked(AS_USER_WITH_ACTIONS, Action.SEND)
    assert blocked(AS_USER, Action.BILLING_MANDATE) and not blocked(AS_USER_WITH_ACTIONS, Action.VALIDATE)


def test_support_staff_and_administrators_cannot_be_impersonated():
    assert may_impersonate({"is_support": True, "is_admin": False, "status": "actif"}) == "cible_protegee"
    assert may_impersonate({"is_support": False, "is_admin": True, "status": "actif"}) == "cible_protegee"
    assert may_impersonate({"is_support": False, "is_admin": False, "status": "en_attente"}) == "compte_inactif"
    assert may_impersonate({"is_support": False, "is_admin": False, "status": "actif"}) is None


def test_the_history_names_both_identities():
    assert AS_USER.acting_as_label == "par support s@x.fr pour le compte de u@x.fr"
    assert USER.acting_as_label is None
