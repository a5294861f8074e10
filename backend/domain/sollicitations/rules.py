"""Sollicitations (requests to support) without I/O: their states and the moves between them, the
categories a request is filed under, what a request is about, who may see it, and answer templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from shared.errors import DomainError
import shared.i18n_labels  # noqa: F401  (registers the names)
from shared.i18n import label, t


class State(StrEnum):
    NOUVELLE = "nouvelle"
    EN_COURS = "en_cours"
    ATTENTE_REPONSE = "attente_reponse"  # « en attente de votre réponse »: support asked the user something
    RESOLUE = "resolue"
    CLOSE = "close"


class Move(StrEnum):
    USER_REPLY = "user_reply"  # the author (or their gestionnaire principal) writes
    ANSWER = "answer"  # support answers the user
    TAKE = "take"  # support assigns it (to themself or a colleague)
    RESOLVE = "resolve"  # support marks it solved
    CLOSE = "close"  # the author closes it


# The one table of allowed moves. An internal note changes nothing: it is not a move.
TRANSITIONS: dict[State, dict[Move, State]] = {
    State.NOUVELLE: {Move.USER_REPLY: State.NOUVELLE, Move.ANSWER: State.ATTENTE_REPONSE, Move.TAKE: State.EN_COURS,
                     Move.RESOLVE: State.RESOLUE, Move.CLOSE: State.CLOSE},
    State.EN_COURS: {Move.USER_REPLY: State.EN_COURS, Move.ANSWER: State.ATTENTE_REPONSE, Move.TAKE: State.EN_COURS,
                     Move.RESOLVE: State.RESOLUE, Move.CLOSE: State.CLOSE},
    State.ATTENTE_REPONSE: {Move.USER_REPLY: State.EN_COURS, Move.ANSWER: State.ATTENTE_REPONSE, Move.TAKE: State.ATTENTE_REPONSE,
                            Move.RESOLVE: State.RESOLUE, Move.CLOSE: State.CLOSE},
    # A reply to a solved request reopens it; closing is the author's last word.
    State.RESOLUE: {Move.USER_REPLY: State.EN_COURS, Move.ANSWER: State.RESOLUE, Move.TAKE: State.RESOLUE, Move.CLOSE: State.CLOSE},
    State.CLOSE: {},
}



class RuleError(DomainError):
    """A request (sollicitation) rule refused: 422 at a route."""

    status_code = 422


def next_state(state: State | str, move: Move) -> State:
    allowed = TRANSITIONS[State(state)]
    if move not in allowed:
        raise RuleError('sollicitation_close')
    return allowed[move]


def state_label(state: State | str, lang: str = "fr") -> str:
    return label(State(state), lang)  # shared/i18n_labels.py, State.<value>


# Categories and sub-categories ------------------------------------------------------------------

# Category -> its sub-categories, in the order the form offers them; their names are in the catalogue
# (shared/i18n_labels.py: soll.category.<category>, soll.subcategory.<category>.<sub-category>).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "compte": ("connexion", "activation", "coordonnees"),
    "rattachement": ("demande", "gestionnaire", "profils"),
    "depot": ("pdf", "saisie", "destinataire"),
    "lot": ("rejet", "format", "integration"),
    "traitement": ("statut", "paiement", "rejet"),
    "api": ("raccordement", "flux"),
}


def check_category(category: str, subcategory: str) -> tuple[str, str]:
    if category not in CATEGORIES:
        raise RuleError('categorie_invalide', "category")
    if subcategory not in CATEGORIES[category]:
        raise RuleError('sous_categorie_invalide', "subcategory")
    return category, subcategory


def category_label(category: str, lang: str = "fr") -> str:
    return t(f"soll.category.{category}", lang) if category in CATEGORIES else category


def subcategory_label(category: str, subcategory: str, lang: str = "fr") -> str:
    known = subcategory in CATEGORIES.get(category, ())
    return t(f"soll.subcategory.{category}.{subcategory}", lang) if known else subcategory


MAX_MESSAGE = 5000
MAX_FILES = 5


def clean_message(text: str | None, *, field: str = "message") -> str:
    message = (text or "").strip()
    if len(message) < 3:
        raise RuleError('message_obligatoire', field)
    if len(message) > MAX_MESSAGE:
        raise RuleError('message_trop_long', field, MAX_MESSAGE=MAX_MESSAGE)
    return message


# What a request is about: the screen it was opened from ------------------------------------------

class Subject(StrEnum):
    LOT = "lot"
    INVOICE = "facture"
    SCREEN = "ecran"


@dataclass(frozen=True)
class Context:
    kind: Subject
    object_id: int | None
    path: str


_LINKED = ((re.compile(r"/factures-emises/lots/(\d+)"), Subject.LOT),
           (re.compile(r"/(?:factures-emises|factures-recues|factures-a-valider|factures-de-travaux)/(\d+)(?:/[a-z-]+)?"),
            Subject.INVOICE))


def context_of(path: str | None) -> Context:
    """The lot or invoice a path shows, else the screen itself. Only the path is kept (no query, at
    most 300 characters): what the user was looking at, nothing they typed."""
    clean = (path or "/").split("?")[0].split("#")[0][:300] or "/"
    if not clean.startswith("/"):
        clean = "/"
    for pattern, kind in _LINKED:
        found = pattern.fullmatch(clean.rstrip("/"))
        if found:
            return Context(kind, int(found.group(1)), clean)
    return Context(Subject.SCREEN, None, clean)



# The screen a request is asked from -> the category and sub-category the form opens on (first match wins;
# elsewhere, the user's account). The user can still choose another.
_TOPICS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"/factures-emises/lots(?:/.*)?"), "lot", "rejet"),
    (re.compile(r"/suivi-des-flux(?:/.*)?"), "api", "flux"),
    (re.compile(r"/raccordement-edi-api(?:/.*)?"), "api", "raccordement"),
    (re.compile(r"/factures-emises/deposer"), "depot", "pdf"),
    (re.compile(r"/factures-emises/(?:saisir|\d+/(?:saisie|dupliquer|avoir|modifier))"), "depot", "saisie"),
    (re.compile(r"/(?:factures-emises|factures-recues|factures-a-valider|factures-de-travaux|factures|tableau-de-bord)"
                r"(?:/.*)?"), "traitement", "statut"),
    (re.compile(r"/(?:organisation|mandat)(?:/.*)?"), "rattachement", "demande"),
)


def topic_of(path: str | None) -> tuple[str, str]:
    """The (category, sub-category) a request asked from `path` is most likely about: a lot's screens ->
    lot deposit, the deposit and typing screens -> invoice deposit, invoices -> invoice processing, the
    connection and flow screens -> EDI and API, organisation -> attachment, anything else -> the account."""
    clean = context_of(path).path.rstrip("/") or "/"
    for pattern, category, subcategory in _TOPICS:
        if pattern.fullmatch(clean):
            return category, subcategory
    return "compte", "connexion"

# Who sees a request ------------------------------------------------------------------------------

def may_see(*, viewer_id: int, is_support: bool, author_id: int, structure_id: int | None,
            managed_structures: frozenset[int]) -> bool:
    """Support sees every request; a user their own, and a gestionnaire principal their structure's."""
    return is_support or viewer_id == author_id or (structure_id is not None and structure_id in managed_structures)


def mail_on_answer(notify_all: bool, notify_billing: bool) -> bool:
    """An answer from support waits for the user: it is mailed at once (no digest) unless the user turned
    every notification off."""
    return bool(notify_all or notify_billing)


# Answer templates (support) ----------------------------------------------------------------------

# Their label and text are in the catalogue (shared/i18n_sollicitations.py): `soll.template.<key>.label`, `.text`.
TEMPLATES: tuple[str, ...] = ("rejet_lot", "informations", "rattachement")


def template_key(template: str, part: str) -> str:
    """The catalogue key of a template's `label` or `text`."""
    return f"soll.template.{template}.{part}"
