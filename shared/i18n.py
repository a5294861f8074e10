"""Interface texts, French first. Slices add their own catalogues with `register`."""

from __future__ import annotations

from collections.abc import Mapping

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
    entry = _CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**params) if params else text


def normalise_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


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
    "common.more": ("Afficher plus", "Show more"),
})
