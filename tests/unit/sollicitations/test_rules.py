"""The sollicitations rules: states and moves, categories, what a path links, who sees a request."""

from __future__ import annotations

import pytest

from backend.domain.sollicitations import rules
from backend.domain.sollicitations.rules import Move, RuleError, State, Subject


@pytest.mark.parametrize(("state", "move", "after"), [
    (State.NOUVELLE, Move.ANSWER, State.ATTENTE_REPONSE),
    (State.NOUVELLE, Move.TAKE, State.EN_COURS),
    (State.ATTENTE_REPONSE, Move.USER_REPLY, State.EN_COURS),
    (State.ATTENTE_REPONSE, Move.TAKE, State.ATTENTE_REPONSE),
    (State.RESOLUE, Move.USER_REPLY, State.EN_COURS),
    (State.EN_COURS, Move.RESOLVE, State.RESOLUE),
    (State.RESOLUE, Move.CLOSE, State.CLOSE),
])
def test_allowed_moves(state, move, after):
    assert rules.next_state(state, move) == after


@pytest.mark.parametrize("move", list(Move))
def test_a_closed_request_never_moves(move):
    with pytest.raises(RuleError) as refused:
        rules.next_state("close", move)
    assert refused.value.code == "sollicitation_close"


def test_a_resolved_request_is_not_resolved_twice():
    with pytest.raises(RuleError):
        rules.next_state(State.RESOLUE, Move.RESOLVE)


def test_every_state_has_both_labels_and_the_guide_s_wording():
    assert rules.state_label("attente_reponse") == "En attente de votre réponse"
    assert all(rules.state_label(s, "en") and rules.state_label(s, "fr") for s in State)


def test_categories_and_their_sub_categories():
    assert rules.check_category("lot", "rejet") == ("lot", "rejet")
    with pytest.raises(RuleError) as wrong:
        rules.check_category("lot", "pdf")
    assert wrong.value.field == "subcategory"
    with pytest.raises(RuleError):
        rules.check_category("meteo", "rejet")
    assert rules.subcategory_label("lot", "rejet", "en") == "Rejected lot or invoice"


@pytest.mark.parametrize(("path", "kind", "object_id", "kept"), [
    ("/factures-emises/lots/12", Subject.LOT, 12, "/factures-emises/lots/12"),
    ("/factures-emises/41?onglet=x", Subject.INVOICE, 41, "/factures-emises/41"),
    ("/factures-recues/7/", Subject.INVOICE, 7, "/factures-recues/7/"),
    ("/factures-emises/41/attestation", Subject.INVOICE, 41, "/factures-emises/41/attestation"),
    ("/tableau-de-bord", Subject.SCREEN, None, "/tableau-de-bord"),
    ("javascript:alert(1)", Subject.SCREEN, None, "/"),
    ("", Subject.SCREEN, None, "/"),
])
def test_what_a_path_links(path, kind, object_id, kept):
    context = rules.context_of(path)
    assert (context.kind, context.object_id, context.path) == (kind, object_id, kept)


def test_who_sees_a_request():
    base = dict(author_id=1, structure_id=10, managed_structures=frozenset())
    assert rules.may_see(viewer_id=1, is_support=False, **base)
    assert rules.may_see(viewer_id=2, is_support=True, **base)
    assert not rules.may_see(viewer_id=2, is_support=False, **base)
    assert rules.may_see(viewer_id=2, is_support=False, author_id=1, structure_id=10, managed_structures=frozenset({10}))
    assert not rules.may_see(viewer_id=2, is_support=False, author_id=1, structure_id=None, managed_structures=frozenset({10}))


def test_messages_are_trimmed_and_bounded():
    assert rules.clean_message("  Bonjour  ") == "Bonjour"
    for text in ("", "ab", "x" * (rules.MAX_MESSAGE + 1)):
        with pytest.raises(RuleError):
            rules.clean_message(text)


def test_an_answer_is_mailed_unless_every_notification_is_off():
    assert rules.mail_on_answer(True, False) and rules.mail_on_answer(False, True)
    assert not rules.mail_on_answer(False, False)


def test_a_category_is_named_from_the_catalogue_and_an_unknown_one_by_its_key():
    assert rules.category_label("lot") == "Dépôt par lot" and rules.category_label("lot", "en") == "Lot deposit"
    assert rules.subcategory_label("traitement", "statut") == "Statut d'une facture"
    assert rules.category_label("meteo", "en") == "meteo"
    assert rules.subcategory_label("lot", "pdf") == "pdf"  # a sub-category of another category


@pytest.mark.parametrize(("path", "topic"), [
    ("/factures-emises/lots", ("lot", "rejet")),
    ("/factures-emises/lots/12?x=1", ("lot", "rejet")),
    ("/factures-emises/deposer", ("depot", "pdf")),
    ("/factures-emises/saisir", ("depot", "saisie")),
    ("/factures-emises/41/avoir", ("depot", "saisie")),
    ("/factures-emises/41", ("traitement", "statut")),
    ("/factures-recues/7/", ("traitement", "statut")),
    ("/raccordement-edi-api", ("api", "raccordement")),
    ("/suivi-des-flux", ("api", "flux")),
    ("/organisation", ("rattachement", "demande")),
    ("/mon-compte", ("compte", "connexion")),
    ("", ("compte", "connexion")),
])
def test_a_question_is_filed_by_default_under_the_screen_it_is_asked_from(path, topic):
    assert rules.topic_of(path) == topic
    assert topic[1] in rules.CATEGORIES[topic[0]]
