"""Applications of the portal on which a user holds a profile, and the two levels of a profile."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    CONSULTATION = "consultation"
    MODIFICATION = "modification"

    def allows(self, needed: "Level") -> bool:
        return self == Level.MODIFICATION or needed == Level.CONSULTATION

    def label(self, lang: str = "fr") -> str:
        return {"consultation": ("consultation", "read-only"), "modification": ("modification", "modify")}[self.value][lang == "en"]


class Application(StrEnum):
    FACTURES_EMISES = "factures_emises"
    FACTURES_RECUES = "factures_recues"
    ORGANISATION = "organisation"
    FACTURES_TRAVAUX = "factures_travaux"
    FACTURES_A_VALIDER = "factures_a_valider"
    ENGAGEMENTS = "engagements"
    SOLLICITATIONS_EMISES = "sollicitations_emises"
    MEMOIRES_FRAIS_JUSTICE = "memoires_frais_justice"
    REMBOURSEMENT_TIC = "remboursement_tic"
    RACCORDEMENT_EDI_API = "raccordement_edi_api"
    SUIVI_DES_FLUX = "suivi_des_flux"

    def label(self, lang: str = "fr") -> str:
        return APPLICATION_LABELS[self][lang == "en"]


APPLICATION_LABELS: dict[Application, tuple[str, str]] = {
    Application.FACTURES_EMISES: ("Factures émises", "Issued invoices"),
    Application.FACTURES_RECUES: ("Factures reçues", "Received invoices"),
    Application.ORGANISATION: ("Organisation", "Organisation"),
    Application.FACTURES_TRAVAUX: ("Factures de travaux", "Works invoices"),
    Application.FACTURES_A_VALIDER: ("Factures à valider", "Invoices to validate"),
    Application.ENGAGEMENTS: ("Engagements", "Commitments"),
    Application.SOLLICITATIONS_EMISES: ("Sollicitations émises", "Requests sent"),
    Application.MEMOIRES_FRAIS_JUSTICE: ("Mémoires de frais de justice", "Court fee statements"),
    Application.REMBOURSEMENT_TIC: ("Demande de remboursement TIC", "TIC refund requests"),
    Application.RACCORDEMENT_EDI_API: ("Raccordement EDI et API", "EDI and API connection"),
    Application.SUIVI_DES_FLUX: ("Suivi des flux", "Flow tracking"),
}

# Workspaces (espaces de travail) a new supplier account gets, as in the guide's step 3.
WORKSPACE_DESCRIPTIONS: dict[Application, tuple[str, str]] = {
    Application.REMBOURSEMENT_TIC: ("Réservé au dépôt des demandes de remboursement TIC", "For TIC refund requests"),
    Application.ENGAGEMENTS: ("Visualisation des commandes de l'État", "View the State's purchase orders"),
    Application.FACTURES_A_VALIDER: ("Réservé à la validation des sous-traitants et cotraitants", "Validation of subcontractors and co-contractors"),
    Application.FACTURES_TRAVAUX: ("Réservé au dépôt de factures de travaux (fournisseurs, MOE, MOA)", "Works invoices (suppliers, project managers, owners)"),
    Application.FACTURES_EMISES: ("Réservé au dépôt et à la visualisation des factures émises à destination des structures publiques", "Deposit and view invoices sent to public bodies"),
    Application.SOLLICITATIONS_EMISES: ("Réservé aux sollicitations adressées au support", "Requests sent to support"),
    Application.MEMOIRES_FRAIS_JUSTICE: ("Réservé au dépôt de mémoires de frais de justice", "Court fee statements"),
    Application.RACCORDEMENT_EDI_API: ("Permet de demander et de suivre le raccordement de vos structures pour l'utilisation des modes EDI et API", "Request and follow EDI/API connection"),
    Application.SUIVI_DES_FLUX: ("Réservé aux structures raccordées émettant des flux EDI", "For connected structures sending EDI flows"),
}
DEFAULT_WORKSPACES = (Application.FACTURES_EMISES, Application.SOLLICITATIONS_EMISES)
