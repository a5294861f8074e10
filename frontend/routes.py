"""Which screen answers which path. Slices append their screens here."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from dataclasses import dataclass
from typing import Any

from frontend.screens.home import HomeScreen
from frontend.screens.directory_search import DirectorySearchScreen
from frontend.screens.account import AccountScreen
from frontend.screens.activation import ActivationScreen, PasswordResetRequestScreen, PasswordResetScreen
from frontend.screens.connections import ConnectionsScreen, FlowsScreen
from frontend.screens.dashboard import DashboardScreen
from frontend.screens.invoice_archives import ArchivesScreen
from frontend.screens.landing import LandingScreen
from frontend.screens.invoice_list import InvoiceListScreen
from frontend.screens.invoice_search import InvoiceSearchScreen
from frontend.screens.invoice_certificate import InvoiceCertificateScreen
from frontend.screens.invoice_deposit import DepositScreen
from frontend.screens.invoice_detail import InvoiceDetailScreen
from frontend.screens.invoice_form import InvoiceEditScreen
from frontend.screens.invoices_issued import IssuedInvoicesScreen
from frontend.screens.invoice_manual import CreditNoteScreen, DuplicateInvoiceScreen, MandateScreen, ManualInvoiceScreen
from frontend.screens.invoices_received import ReceivedInvoiceScreen, ReceivedInvoicesScreen
from frontend.screens.invoices_to_validate import ValidationInvoiceScreen, ValidationQueueScreen
from backend.domain.invoices.rules import Role
from frontend.screens.login import LoginScreen
from frontend.screens.lots import LotReportScreen, LotsScreen
from frontend.screens.validate_file import ValidateFileScreen
from frontend.screens.mailbox import MailboxScreen
from frontend.screens.organisation import OrganisationScreen
from frontend.screens.signup import SignupScreen
from frontend.screens.sollicitations import (SollicitationScreen, SollicitationsScreen, SupportQueueScreen,
                                             SupportSollicitationScreen)
from frontend.screens.support import SupportJournalScreen, SupportScreen


@dataclass(frozen=True)
class ScreenRoute:
    pattern: str
    screen: Callable[..., Any]
    title_key: str
    public: bool = True  # False: requires a logged-in user

    def match(self, path: str) -> dict[str, str] | None:
        found = re.fullmatch(self.pattern, path.rstrip("/") or "/")
        return found.groupdict() if found else None


ROUTES: list[ScreenRoute] = [
    ScreenRoute(r"/", HomeScreen, "nav.home"),
    ScreenRoute(r"/connexion", LoginScreen, "login.title"),
    ScreenRoute(r"/annuaire", DirectorySearchScreen, "directory.title"),
    ScreenRoute(r"/inscription", SignupScreen, "signup.title"),
    ScreenRoute(r"/activation/(?P<token>[A-Za-z0-9_-]+)", ActivationScreen, "activation.title"),
    ScreenRoute(r"/mot-de-passe-oublie", PasswordResetRequestScreen, "reset.title"),
    ScreenRoute(r"/reinitialisation/(?P<token>[A-Za-z0-9_-]+)", PasswordResetScreen, "reset.new_title"),
    ScreenRoute(r"/courriels", MailboxScreen, "mailbox.title"),
    ScreenRoute(r"/espace", LandingScreen, "nav.home", public=False),
    ScreenRoute(r"/valider-un-fichier", ValidateFileScreen, "validate_file.title"),
    ScreenRoute(r"/mon-compte", AccountScreen, "account.title", public=False),
    ScreenRoute(r"/organisation", OrganisationScreen, "org.title", public=False),
    ScreenRoute(r"/tableau-de-bord", DashboardScreen, "dashboard.title", public=False),
    ScreenRoute(r"/factures/liste", InvoiceListScreen, "list.title", public=False),
    ScreenRoute(r"/factures/recherche", InvoiceSearchScreen, "search.title", public=False),
    ScreenRoute(r"/support", SupportScreen, "support.title", public=False),
    ScreenRoute(r"/factures-emises/saisir", ManualInvoiceScreen, "manual.title", public=False),
    ScreenRoute(r"/factures-emises/(?P<invoice_id>\d+)/saisie", ManualInvoiceScreen, "manual.title", public=False),
    ScreenRoute(r"/factures-emises/(?P<invoice_id>\d+)/dupliquer", DuplicateInvoiceScreen, "manual.duplicate", public=False),
    ScreenRoute(r"/factures-emises/(?P<invoice_id>\d+)/avoir", CreditNoteScreen, "manual.credit_note", public=False),
    ScreenRoute(r"/mandat", MandateScreen, "mandate.title", public=False),
    ScreenRoute(r"/factures-recues", ReceivedInvoicesScreen, "received.title", public=False),
    ScreenRoute(r"/factures-recues/(?P<invoice_id>\d+)", ReceivedInvoiceScreen, "received.detail", public=False),
    ScreenRoute(r"/factures-a-valider", partial(ValidationQueueScreen, Role.HOLDER), "validate.title", public=False),
    ScreenRoute(r"/factures-a-valider/(?P<invoice_id>\d+)", partial(ValidationInvoiceScreen, Role.HOLDER), "validate.detail",
                public=False),
    ScreenRoute(r"/factures-de-travaux", partial(ValidationQueueScreen, Role.PROJECT_MANAGER), "works.title", public=False),
    ScreenRoute(r"/factures-de-travaux/(?P<invoice_id>\d+)", partial(ValidationInvoiceScreen, Role.PROJECT_MANAGER), "works.detail",
                public=False),
    ScreenRoute(r"/support/journal", SupportJournalScreen, "support.journal", public=False),
    ScreenRoute(r"/support/sollicitations", SupportQueueScreen, "queue.title", public=False),
    ScreenRoute(r"/support/sollicitations/(?P<sollicitation_id>\d+)", SupportSollicitationScreen, "soll.detail", public=False),
    ScreenRoute(r"/sollicitations", SollicitationsScreen, "soll.title", public=False),
    ScreenRoute(r"/sollicitations/(?P<sollicitation_id>\d+)", SollicitationScreen, "soll.detail", public=False),
    ScreenRoute(r"/factures-emises", IssuedInvoicesScreen, "invoices.issued.title", public=False),
    ScreenRoute(r"/factures-emises/deposer", DepositScreen, "invoices.deposit.title", public=False),
    ScreenRoute(r"/factures-emises/lots", LotsScreen, "lots.title", public=False),
    ScreenRoute(r"/factures-emises/archives", ArchivesScreen, "archives.title", public=False),
    ScreenRoute(r"/factures-emises/lots/(?P<lot_id>\d+)", LotReportScreen, "lots.detail", public=False),
    ScreenRoute(r"/factures-emises/(?P<invoice_id>\d+)", InvoiceDetailScreen, "invoices.detail.title", public=False),
    ScreenRoute(r"/factures-emises/(?P<invoice_id>\d+)/modifier", InvoiceEditScreen, "invoices.edit.title", public=False),
    ScreenRoute(r"/raccordement-edi-api", ConnectionsScreen, "conn.title", public=False),
    ScreenRoute(r"/suivi-des-flux", FlowsScreen, "flows.title", public=False),
    ScreenRoute(r"/factures-emises/(?P<invoice_id>\d+)/attestation", InvoiceCertificateScreen, "invoices.certificate.title",
                public=False),
]


def resolve(path: str) -> tuple[ScreenRoute | None, dict[str, str]]:
    for route in ROUTES:
        params = route.match(path)
        if params is not None:
            return route, params
    return None, {}
