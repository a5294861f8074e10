"""Interface texts, French first. Slices add their own catalogues with `register`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import Enum

log = logging.getLogger(__name__)

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

_CATALOG: dict[str, dict[str, str]] = {}


def register(entries: Mapping[str, tuple[str, str]]) -> None:
    """Add `key -> (fr, en)` entries; a key registered twice with other texts is a bug."""
    for key, (fr, en) in entries.items():
        existing = _CATALOG.get(key)
        if existing and (existing["fr"], existing["en"]) != (fr, en):
            raise ValueError(f"i18n key {key!r} registered twice with different texts")
        _CATALOG[key] = {"fr": fr, "en": en}


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The text of `key` in `lang`. A key missing in one language logs and falls back to the other one (the
    completeness test, tests/unit/i18n, fails on it first); a key missing in both logs and shows the key."""
    entry = _CATALOG.get(key)
    if entry is None:
        log.error("i18n: key %r is in no catalogue", key)
        return key
    text = entry.get(lang)
    if not text:
        other = next(other for other in LANGS if other != lang) if lang in LANGS else DEFAULT_LANG
        log.error("i18n: key %r has no %r text; showing the %r one", key, lang, other)
        text = entry.get(other) or key
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in _CATALOG


def missing() -> dict[str, list[str]]:
    """Registered keys lacking a language: key -> the languages it lacks."""
    return {key: [lang for lang in LANGS if not entry.get(lang)] for key, entry in _CATALOG.items()
            if not all(entry.get(lang) for lang in LANGS)}


def pick(texts: tuple[str, str], lang: str) -> str:
    """The text of a (French, English) pair in `lang` (labels kept beside the enums they name)."""
    return texts[LANGS.index(normalise_lang(lang))]


def label_key(member: Enum) -> str:
    """The catalogue key of an enum member's name: `<EnumClass>.<value>` (shared/i18n_labels.py)."""
    return f"{type(member).__name__}.{member.value}"


def label(member: Enum, lang: str = DEFAULT_LANG) -> str:
    """An enum member's name for people, in `lang`, from the catalogue (checked like every other text)."""
    return t(label_key(member), lang)


def message_of(body: dict, lang: str) -> str:
    """The message of an API error body ({code, message, message_en}) in `lang`."""
    return pick((body.get("message") or "", body.get("message_en") or body.get("message") or ""), lang)


def normalise_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


def request_lang(cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: its `lang` cookie (the interface's toggle), else the first of its
    `Accept-Language` we have (by quality), else French."""
    if cookie in LANGS:
        return cookie
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANG


register({
    "app.name": ("Chorale", "Chorale"),
    "app.tagline": ("Le portail de la facturation électronique publique", "The public e-invoicing portal"),
    "nav.home": ("Accueil", "Home"),
    "nav.issued": ("Factures émises", "Issued invoices"),
    "nav.received": ("Factures reçues", "Received invoices"),
    "nav.to_validate": ("Factures à valider", "Invoices to validate"),
    "nav.works": ("Factures de travaux", "Works invoices"),
    "nav.dashboard": ("Tableau de bord", "Dashboard"),
    "nav.account": ("Mon compte", "My account"),
    "nav.skip": ("Aller au contenu", "Skip to content"),
    "lang.switch": ("English", "Français"),
    "lang.switch_label": ("Switch to English", "Passer en français"),
    "live.connected": ("Mises à jour en direct", "Live updates"),
    "live.check": ("Tester les mises à jour en direct", "Test live updates"),
    "live.step.recu": ("Demande reçue par le traitement en arrière-plan", "Request received by the background worker"),
    "live.step.en_cours": ("Traitement en cours…", "Processing…"),
    "live.step.termine": ("Terminé : les mises à jour en direct fonctionnent.", "Done: live updates work."),
    "home.title": ("Bienvenue sur Chorale", "Welcome to Chorale"),
    "home.intro": (
        "Déposez vos factures, suivez leur traitement et traitez celles que vous recevez, en temps réel.",
        "Deposit your invoices, follow their processing and handle the ones you receive, in real time.",
    ),
    "notfound.title": ("Page introuvable", "Page not found"),
    "notfound.body": ("L'adresse demandée n'existe pas.", "The requested address does not exist."),
    "common.loading": ("Chargement…", "Loading…"),
    # A label before its value: French puts a narrow no-break space before the colon, English none.
    "common.label": ("{label}\u202f: ", "{label}: "),
    "common.more": ("Afficher plus", "Show more"),
})
