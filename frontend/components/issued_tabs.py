"""The tabs of Factures émises, as the guide lays them out on each of its screens:
Synthèse · Rechercher · Tableau de bord · Saisir facture · Dépôt factures · Archives."""

from __future__ import annotations

from reactpy import component, html

import shared.i18n_supplier  # noqa: F401
from backend.domain.structures.permissions import Action
from frontend.components.shell import Link
from frontend.context import use_session
from frontend.hooks.policy import use_allowed

DEPOSITING = {"manual", "deposit"}  # shown only to a user the policy lets deposit (Saisir, Déposer) somewhere

TABS = (
    ("synthese", "/factures-emises"),
    ("search", "/factures/recherche?cote=S"),
    ("dashboard", "/tableau-de-bord?cote=S"),
    ("manual", "/factures-emises/saisir"),
    ("deposit", "/factures-emises/deposer"),
    ("archives", "/factures-emises/archives"),
)


def issued_tabs(t, active: str):
    """`active`: the key in TABS of the screen showing them (announced with aria-current)."""
    return IssuedTabs(active)


@component
def IssuedTabs(active: str):
    """The tabs; Saisir facture and Dépôt factures only once the policy said the user may deposit."""
    t = use_session().t
    allowed = use_allowed(Action.DEPOSIT)
    shown = [(key, href) for key, href in TABS if key not in DEPOSITING or allowed[Action.DEPOSIT] or key == active]

    def tab(key: str, href: str):
        link = Link(href, t(f"issued.tab.{key}"), class_name="tab active" if key == active else "tab")
        return html.li({"key": key, "aria-current": "page" if key == active else "false"}, link)

    return html.nav({"aria-label": t("issued.tabs"), "id": "issued-tabs", "data-policy": allowed.marker()},
                    html.ul({"class_name": "tabs"}, *[tab(key, href) for key, href in shown]))
