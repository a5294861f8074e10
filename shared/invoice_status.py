"""Invoice statuses: one enum, its names (shared/i18n_labels.py), the 2026 reform codes, dashboard columns."""

from __future__ import annotations

from enum import StrEnum

import shared.i18n_labels  # noqa: F401  (registers the names)
from shared.i18n import label as catalogue_label


class InvoiceStatus(StrEnum):
    BROUILLON = "BROUILLON"                      # draft saved by the supplier
    PROVISOIRE = "PROVISOIRE"                    # form left without saving
    DEPOSEE = "DEPOSEE"
    EN_COURS_ACHEMINEMENT = "EN_COURS_ACHEMINEMENT"
    MISE_A_DISPOSITION = "MISE_A_DISPOSITION"    # the recipient sees it
    ERREUR_ACHEMINEMENT = "ERREUR_ACHEMINEMENT"  # could not be routed
    A_RECYCLER = "A_RECYCLER"                    # wrong recipient data: the supplier corrects and re-sends
    REJETEE = "REJETEE"                          # failed the platform's checks
    A_VALIDER_TITULAIRE = "A_VALIDER_TITULAIRE"  # A9/A12…: the contract holder validates first
    A_VALIDER_MOE = "A_VALIDER_MOE"              # works: the project manager (maîtrise d'œuvre) validates
    A_VALIDER_MOA = "A_VALIDER_MOA"              # works: then the owner (maîtrise d'ouvrage)
    SUSPENDUE = "SUSPENDUE"
    COMPLETEE = "COMPLETEE"
    REFUSEE = "REFUSEE"
    SERVICE_FAIT = "SERVICE_FAIT"
    MANDATEE = "MANDATEE"
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"

    def label(self, lang: str = "fr") -> str:
        return catalogue_label(self, lang)  # shared/i18n_labels.py, InvoiceStatus.<value>

    @property
    def reform_code(self) -> int | None:
        """The status code of the 2026 French e-invoicing reform, where one applies."""
        return _REFORM_CODES.get(self)

    @property
    def editable_by_supplier(self) -> bool:
        return self in (InvoiceStatus.BROUILLON, InvoiceStatus.PROVISOIRE, InvoiceStatus.A_RECYCLER)

    @property
    def terminal(self) -> bool:
        return self in (InvoiceStatus.REFUSEE, InvoiceStatus.REJETEE, InvoiceStatus.MISE_EN_PAIEMENT,
                        InvoiceStatus.ERREUR_ACHEMINEMENT)

    @property
    def visible_to_recipient(self) -> bool:
        return self not in (InvoiceStatus.BROUILLON, InvoiceStatus.PROVISOIRE, InvoiceStatus.DEPOSEE,
                            InvoiceStatus.EN_COURS_ACHEMINEMENT, InvoiceStatus.ERREUR_ACHEMINEMENT,
                            InvoiceStatus.REJETEE, InvoiceStatus.A_VALIDER_TITULAIRE, InvoiceStatus.A_VALIDER_MOE)


_REFORM_CODES: dict[InvoiceStatus, int] = {
    InvoiceStatus.DEPOSEE: 200,               # Déposée
    InvoiceStatus.EN_COURS_ACHEMINEMENT: 201,  # Émise
    InvoiceStatus.MISE_A_DISPOSITION: 203,     # Mise à disposition
    InvoiceStatus.MANDATEE: 204,               # Prise en charge (by the public accountant)
    InvoiceStatus.SERVICE_FAIT: 205,           # Approuvée
    InvoiceStatus.A_RECYCLER: 207,             # En litige (the data must be corrected)
    InvoiceStatus.SUSPENDUE: 208,              # Suspendue
    InvoiceStatus.COMPLETEE: 209,              # Complétée
    InvoiceStatus.REFUSEE: 210,                # Refusée
    InvoiceStatus.MISE_EN_PAIEMENT: 211,       # Paiement transmis
    InvoiceStatus.REJETEE: 213,                # Rejetée
}


class DashboardColumn(StrEnum):
    """The columns of the guide's dashboard, in its order."""

    BROUILLON = "brouillon"
    ERREUR_ACHEMINEMENT = "erreur_acheminement"
    MISE_A_DISPOSITION = "mise_a_disposition"
    VALIDEE = "validee"
    REFUSEE_REJETEE = "refusee_rejetee"
    ASSOCIEE_PRISE_EN_COMPTE = "associee_prise_en_compte"
    SUSPENDUE = "suspendue"
    DEPOSEE = "deposee"
    EN_COURS_DESTINATAIRE = "en_cours_destinataire"
    MISE_EN_PAIEMENT = "mise_en_paiement"

    def label(self, lang: str = "fr") -> str:
        return catalogue_label(self, lang)  # shared/i18n_labels.py, DashboardColumn.<value>

    @property
    def statuses(self) -> tuple[InvoiceStatus, ...]:
        return tuple(s for s in InvoiceStatus if dashboard_column(s) == self)


_COLUMN_OF: dict[InvoiceStatus, DashboardColumn] = {
    InvoiceStatus.BROUILLON: DashboardColumn.BROUILLON,
    InvoiceStatus.PROVISOIRE: DashboardColumn.BROUILLON,
    InvoiceStatus.DEPOSEE: DashboardColumn.DEPOSEE,
    InvoiceStatus.EN_COURS_ACHEMINEMENT: DashboardColumn.DEPOSEE,
    InvoiceStatus.MISE_A_DISPOSITION: DashboardColumn.MISE_A_DISPOSITION,
    InvoiceStatus.ERREUR_ACHEMINEMENT: DashboardColumn.ERREUR_ACHEMINEMENT,
    InvoiceStatus.A_RECYCLER: DashboardColumn.REFUSEE_REJETEE,
    InvoiceStatus.REJETEE: DashboardColumn.REFUSEE_REJETEE,
    InvoiceStatus.REFUSEE: DashboardColumn.REFUSEE_REJETEE,
    InvoiceStatus.A_VALIDER_TITULAIRE: DashboardColumn.EN_COURS_DESTINATAIRE,
    InvoiceStatus.A_VALIDER_MOE: DashboardColumn.EN_COURS_DESTINATAIRE,
    InvoiceStatus.A_VALIDER_MOA: DashboardColumn.EN_COURS_DESTINATAIRE,
    InvoiceStatus.COMPLETEE: DashboardColumn.EN_COURS_DESTINATAIRE,
    InvoiceStatus.SUSPENDUE: DashboardColumn.SUSPENDUE,
    InvoiceStatus.SERVICE_FAIT: DashboardColumn.VALIDEE,
    InvoiceStatus.MANDATEE: DashboardColumn.ASSOCIEE_PRISE_EN_COMPTE,
    InvoiceStatus.MISE_EN_PAIEMENT: DashboardColumn.MISE_EN_PAIEMENT,
}


def dashboard_column(status: InvoiceStatus | str) -> DashboardColumn:
    """The one place that says in which dashboard column a status is counted."""
    return _COLUMN_OF[InvoiceStatus(status)]
