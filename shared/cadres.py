"""Cadres de facturation (A1–A25), invoice kinds and sources, and the French VAT rates."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Cadre(StrEnum):
    A1 = "A1"; A2 = "A2"; A3 = "A3"; A4 = "A4"; A5 = "A5"; A6 = "A6"; A7 = "A7"; A8 = "A8"  # noqa: E702
    A9 = "A9"; A10 = "A10"; A11 = "A11"; A12 = "A12"; A13 = "A13"; A14 = "A14"; A15 = "A15"  # noqa: E702
    A16 = "A16"; A17 = "A17"; A18 = "A18"; A19 = "A19"; A20 = "A20"; A21 = "A21"; A22 = "A22"  # noqa: E702
    A23 = "A23"; A24 = "A24"; A25 = "A25"  # noqa: E702

    def label(self, lang: str = "fr") -> str:
        fr, en = _LABELS[self]
        return f"{self.value} {en if lang == 'en' else fr}"

    @property
    def is_works(self) -> bool:
        """Works invoices (travaux) go through the project manager (MOE) and owner (MOA) first."""
        return self in _WORKS

    @property
    def needs_holder_validation(self) -> bool:
        """Subcontractors and co-contractors: the contract holder (titulaire) validates first."""
        return self in _HOLDER

    @property
    def already_paid(self) -> bool:
        return self == Cadre.A2


_LABELS: dict[Cadre, tuple[str, str]] = {
    Cadre.A1: ("Dépôt par un fournisseur d'une facture", "Invoice deposited by a supplier"),
    Cadre.A2: ("Dépôt par un fournisseur d'une facture déjà payée", "Already-paid invoice deposited by a supplier"),
    Cadre.A3: ("Dépôt par un fournisseur d'un mémoire de frais de justice", "Court fee statement deposited by a supplier"),
    Cadre.A4: ("Dépôt par un fournisseur d'un projet de décompte mensuel", "Draft monthly statement (works) by a supplier"),
    Cadre.A5: ("Dépôt par un fournisseur d'un état d'acompte", "Progress payment statement by a supplier"),
    Cadre.A6: ("Dépôt par un fournisseur d'un état d'acompte validé", "Validated progress payment statement by a supplier"),
    Cadre.A7: ("Dépôt par un fournisseur d'un projet de décompte final", "Draft final statement by a supplier"),
    Cadre.A8: ("Dépôt par un fournisseur d'un décompte général et définitif tacite", "Tacit final general statement by a supplier"),
    Cadre.A9: ("Dépôt par un sous-traitant d'une facture", "Invoice deposited by a subcontractor"),
    Cadre.A10: ("Dépôt par un sous-traitant d'un projet de décompte mensuel", "Draft monthly statement by a subcontractor"),
    Cadre.A11: ("Dépôt par un sous-traitant d'un projet de décompte final", "Draft final statement by a subcontractor"),
    Cadre.A12: ("Dépôt par un cotraitant d'une facture", "Invoice deposited by a co-contractor"),
    Cadre.A13: ("Dépôt par un cotraitant d'un projet de décompte mensuel", "Draft monthly statement by a co-contractor"),
    Cadre.A14: ("Dépôt par un cotraitant d'un projet de décompte final", "Draft final statement by a co-contractor"),
    Cadre.A15: ("Dépôt par une MOE d'un état d'acompte", "Progress payment statement by a project manager"),
    Cadre.A16: ("Dépôt par une MOE d'un état d'acompte validé", "Validated progress payment statement by a project manager"),
    Cadre.A17: ("Dépôt par une MOE d'un projet de décompte général", "Draft general statement by a project manager"),
    Cadre.A18: ("Dépôt par une MOE d'un décompte général", "General statement by a project manager"),
    Cadre.A19: ("Dépôt par une MOA d'un état d'acompte validé", "Validated progress payment statement by a project owner"),
    Cadre.A20: ("Dépôt par une MOA d'un décompte général", "General statement by a project owner"),
    Cadre.A21: ("Dépôt par un bénéficiaire d'une demande de remboursement de la TIC", "TIC refund request by a beneficiary"),
    Cadre.A22: ("Dépôt par un fournisseur d'un projet de décompte général dans le cadre d'une procédure tacite",
                "Draft general statement by a supplier (tacit procedure)"),
    Cadre.A23: ("Dépôt par un fournisseur d'un décompte général et définitif dans le cadre d'une procédure tacite",
                "Final general statement by a supplier (tacit procedure)"),
    Cadre.A24: ("Dépôt par une MOE d'un décompte général et définitif dans le cadre d'une procédure tacite",
                "Final general statement by a project manager (tacit procedure)"),
    Cadre.A25: ("Dépôt par une MOA d'un décompte général et définitif dans le cadre d'une procédure tacite",
                "Final general statement by a project owner (tacit procedure)"),
}
_WORKS = frozenset({Cadre.A4, Cadre.A5, Cadre.A6, Cadre.A7, Cadre.A8, Cadre.A10, Cadre.A11, Cadre.A13, Cadre.A14,
                    Cadre.A15, Cadre.A16, Cadre.A17, Cadre.A18, Cadre.A19, Cadre.A20, Cadre.A22, Cadre.A23, Cadre.A24, Cadre.A25})
_HOLDER = frozenset({Cadre.A9, Cadre.A10, Cadre.A11, Cadre.A12, Cadre.A13, Cadre.A14})


class InvoiceKind(StrEnum):
    FACTURE = "FACTURE"
    AVOIR = "AVOIR"

    @property
    def type_code(self) -> str:
        """UNTDID 1001 document type (BT-3)."""
        return "380" if self == InvoiceKind.FACTURE else "381"

    def label(self, lang: str = "fr") -> str:
        return {"FACTURE": ("Facture", "Invoice"), "AVOIR": ("Avoir", "Credit note")}[self.value][lang == "en"]


class InvoiceSource(StrEnum):
    PDF = "PDF"
    SAISIE = "SAISIE"
    DUPLICATION = "DUPLICATION"
    LOT = "LOT"

    def label(self, lang: str = "fr") -> str:
        return {"PDF": ("Dépôt PDF", "PDF deposit"), "SAISIE": ("Saisie", "Typed in"),
                "DUPLICATION": ("Duplication", "Duplicate"), "LOT": ("Lot", "Batch")}[self.value][lang == "en"]


# French VAT rates; 0 % needs an exemption reason (EN 16931 category E).
VAT_RATES: tuple[Decimal, ...] = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"), Decimal("0"))


def vat_category(rate: Decimal) -> str:
    """EN 16931 VAT category code (BT-151): S standard rate, E exempt."""
    return "E" if Decimal(rate) == 0 else "S"
