"""Applications of the portal on which a user holds a profile, and the two levels of a profile."""

from __future__ import annotations

from enum import StrEnum

import shared.i18n_labels  # noqa: F401  (registers the names)
from shared.i18n import label as catalogue_label


class Level(StrEnum):
    CONSULTATION = "consultation"
    MODIFICATION = "modification"

    def allows(self, needed: "Level") -> bool:
        return self == Level.MODIFICATION or needed == Level.CONSULTATION

    def label(self, lang: str = "fr") -> str:
        return catalogue_label(self, lang)  # shared/i18n_labels.py, Level.<value>


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
        return catalogue_label(self, lang)  # shared/i18n_labels.py, Application.<value>


# Workspaces (espaces de travail) a new supplier account gets, as in the guide's step 3.
# Each one's description is in the catalogue: shared/i18n_labels.py, workspace.description.<value>.
WORKSPACE_DESCRIPTIONS: dict[Application, str] = {
    Application.REMBOURSEMENT_TIC: "workspace.description.remboursement_tic",
    Application.ENGAGEMENTS: "workspace.description.engagements",
    Application.FACTURES_A_VALIDER: "workspace.description.factures_a_valider",
    Application.FACTURES_TRAVAUX: "workspace.description.factures_travaux",
    Application.FACTURES_EMISES: "workspace.description.factures_emises",
    Application.SOLLICITATIONS_EMISES: "workspace.description.sollicitations_emises",
    Application.MEMOIRES_FRAIS_JUSTICE: "workspace.description.memoires_frais_justice",
    Application.RACCORDEMENT_EDI_API: "workspace.description.raccordement_edi_api",
    Application.SUIVI_DES_FLUX: "workspace.description.suivi_des_flux",
}
# Workspaces with a screen of their own, opened from « Mon compte ».
WORKSPACE_PATHS: dict[Application, str] = {Application.RACCORDEMENT_EDI_API: "/raccordement-edi-api",
                                           Application.SUIVI_DES_FLUX: "/suivi-des-flux"}
DEFAULT_WORKSPACES = (Application.FACTURES_EMISES, Application.SOLLICITATIONS_EMISES)
