"""Rules of a lot deposit (« Déposer un lot de factures »), without I/O.

A lot is one ZIP or TAR.GZ archive of invoices in the declared format and syntax. The archive as a
whole is checked when it arrives (its extension agrees with its content, it can be opened, it holds at
least one invoice, no more than the limits); each invoice in it is then checked on its own, and only the
conforming ones are created. The others are listed with their anomalies (the « compte rendu
d'intégration »), so they can be corrected and deposited again.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

MAX_ENTRIES = 500
MAX_ENTRY_BYTES = 30 * 1024 * 1024
# A small archive may unpack to far more (a « zip bomb »): refuse past this total before reading it.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


class DepositFormat(StrEnum):
    """« Format de dépôt »: what the archive holds."""

    XML_STRUCTURE = "XML_STRUCTURE"  # « XML structuré »: UBL Invoice or CII 16B
    PDF_FACTURX = "PDF_FACTURX"      # « PDF A3 »: Factur-X (a PDF carrying its CII XML)


class Syntax(StrEnum):
    UBL = "UBL"
    CII = "CII"
    FACTURX = "FACTURX"


SYNTAXES: dict[DepositFormat, tuple[Syntax, ...]] = {
    DepositFormat.XML_STRUCTURE: (Syntax.UBL, Syntax.CII),
    DepositFormat.PDF_FACTURX: (Syntax.FACTURX,),
}
ENTRY_EXTENSIONS = {DepositFormat.XML_STRUCTURE: ".xml", DepositFormat.PDF_FACTURX: ".pdf"}
LABELS = {
    DepositFormat.XML_STRUCTURE: ("XML structuré", "Structured XML"),
    DepositFormat.PDF_FACTURX: ("PDF A3 (Factur-X)", "PDF A3 (Factur-X)"),
    Syntax.UBL: ("UBL Invoice", "UBL Invoice"),
    Syntax.CII: ("CII 16B", "CII 16B"),
    Syntax.FACTURX: ("Factur-X (CII)", "Factur-X (CII)"),
}


class LotStatus(StrEnum):
    RECU = "RECU"          # archive accepted, invoices not yet processed
    EN_COURS = "EN_COURS"  # invoices being processed
    TRAITE = "TRAITE"      # every invoice integrated
    PARTIEL = "PARTIEL"    # some integrated, some rejected
    REJETE = "REJETE"      # none integrated


class EntryStatus(StrEnum):
    ATTENTE = "ATTENTE"
    INTEGREE = "INTEGREE"
    REJETEE = "REJETEE"


class Problem(NamedTuple):
    """Why a lot, or one of its files, is refused: a code, the French and English messages, the field."""

    code: str
    message_fr: str
    message_en: str
    field: str | None = None


class LotRuleError(Exception):
    """A Problem raised where the whole lot (or one file's reading) stops."""

    def __init__(self, code: str, message_fr: str, message_en: str, field: str | None = None) -> None:
        super().__init__(message_fr)
        self.problem = Problem(code, message_fr, message_en, field)
        self.code, self.message_fr, self.message_en, self.field = self.problem


def label(value: DepositFormat | Syntax, lang: str = "fr") -> str:
    fr, en = LABELS[value]
    return en if lang == "en" else fr


def check_choice(deposit_format: str, syntax: str) -> tuple[DepositFormat, Syntax]:
    try:
        chosen_format = DepositFormat(deposit_format)
    except ValueError:
        raise LotRuleError("format_inconnu", "Choisissez le format de dépôt.", "Choose the deposit format.", "deposit_format") from None
    try:
        chosen_syntax = Syntax(syntax)
    except ValueError:
        raise LotRuleError("syntaxe_inconnue", "Choisissez la syntaxe des factures.", "Choose the invoices' syntax.", "syntax") from None
    if chosen_syntax not in SYNTAXES[chosen_format]:
        allowed = ", ".join(label(s) for s in SYNTAXES[chosen_format])
        raise LotRuleError("syntaxe_incoherente", f"Pour le format « {label(chosen_format)} », la syntaxe doit être : {allowed}.",
                           f"For the « {label(chosen_format, 'en')} » format, the syntax must be: {allowed}.", "syntax")
    return chosen_format, chosen_syntax


def archive_kind(name: str, head: bytes) -> str:
    """"zip" or "tar.gz" when the file name's extension and the content agree, else a LotRuleError."""
    lower = name.lower()
    by_name = "zip" if lower.endswith(".zip") else "tar.gz" if lower.endswith((".tar.gz", ".tgz")) else None
    by_content = "zip" if head.startswith(b"PK\x03\x04") else "tar.gz" if head.startswith(b"\x1f\x8b") else None
    if by_name is None:
        raise LotRuleError("extension_refusee", "Le lot doit être un fichier .zip ou .tar.gz.",
                           "The lot must be a .zip or .tar.gz file.")
    if by_content != by_name:
        raise LotRuleError("extension_incoherente", f"L'extension du fichier ne correspond pas à son contenu (pas un {by_name}).",
                           f"The file's extension does not match its content (not a {by_name}).")
    return by_name


@dataclass(frozen=True)
class ArchiveMember:
    name: str
    size: int
    is_file: bool = True


def invoice_members(members: list[ArchiveMember]) -> list[ArchiveMember]:
    """The members that are invoices to process, in archive order; folders and system files (macOS
    resource forks, .DS_Store, Thumbs.db) are skipped. Refuses an archive past the limits or empty."""
    kept = []
    for member in members:
        base = posixpath.basename(member.name.rstrip("/"))
        if not member.is_file or not base or base.startswith(".") or "__MACOSX/" in member.name or base.lower() == "thumbs.db":
            continue
        kept.append(member)
    if not kept:
        raise LotRuleError("lot_vide", "Le lot ne contient aucune facture.", "The lot holds no invoice.")
    if len(kept) > MAX_ENTRIES:
        raise LotRuleError("lot_trop_grand", f"Le lot contient {len(kept)} fichiers : {MAX_ENTRIES} au plus par lot.",
                           f"The lot holds {len(kept)} files: at most {MAX_ENTRIES} per lot.")
    if sum(m.size for m in kept) > MAX_UNPACKED_BYTES:
        raise LotRuleError("lot_trop_volumineux", "Une fois décompressé, le lot dépasse 300 Mo.",
                           "Once unpacked, the lot exceeds 300 MB.")
    return kept


TOO_LARGE = Problem("fichier_trop_volumineux", "Le fichier dépasse 30 Mo.", "The file exceeds 30 MB.")


def entry_problem(member_name: str, size: int, deposit_format: DepositFormat) -> Problem | None:
    """Why one member cannot be an invoice of this lot, before reading it, or None."""
    extension = ENTRY_EXTENSIONS[deposit_format]
    if not member_name.lower().endswith(extension):
        return Problem("extension_refusee", f"Fichier ignoré : le format « {label(deposit_format)} » attend des fichiers {extension}.",
                       f"File skipped: the « {label(deposit_format, 'en')} » format expects {extension} files.")
    if size > MAX_ENTRY_BYTES:
        return TOO_LARGE
    if size == 0:
        return Problem("fichier_vide", "Le fichier est vide.", "The file is empty.")
    return None


def display_name(member_name: str) -> str:
    """The member's path inside the archive, as shown in the report (no leading ./ or /)."""
    name = member_name.replace("\\", "/")
    while name.startswith(("./", "/")):
        name = name[2:] if name.startswith("./") else name[1:]
    return name[:255] or "fichier"


def lot_status(integrated: int, rejected: int, total: int) -> LotStatus:
    if integrated + rejected < total:
        return LotStatus.EN_COURS if integrated + rejected else LotStatus.RECU
    if rejected == 0:
        return LotStatus.TRAITE
    return LotStatus.REJETE if integrated == 0 else LotStatus.PARTIEL


def lot_number(lot_id: int, created_at: datetime) -> str:
    """The number given to the depositor (« Le lot de factures a été importé correctement sous le numéro … »)."""
    return f"LOT{created_at:%Y%m%d}{lot_id:010d}"


def invoice_problem(syntax: str, type_code: str, supplier_siret: str | None, *, declared: Syntax,
                    structure_siret: str) -> Problem | None:
    """Why an invoice read from a lot (its syntax, BT-3 type, seller SIRET) does not belong in it, or None.
    A Factur-X file carries CII; the seller must be the structure depositing the lot."""
    expected = Syntax.CII if declared == Syntax.FACTURX else declared
    if syntax != expected:
        return Problem("syntaxe_incoherente", f"Facture en syntaxe {syntax}, alors que le lot est déclaré en {label(declared)}.",
                       f"Invoice in {syntax} syntax, while the lot is declared as {label(declared, 'en')}.")
    if kind_of(type_code) is None:
        return Problem("type_refuse", f"Type de document {type_code or '(absent)'} non accepté : facture (380) ou avoir (381).",
                       f"Document type {type_code or '(none)'} not accepted: invoice (380) or credit note (381).")
    if supplier_siret != structure_siret:
        found = supplier_siret or "absent"
        return Problem("fournisseur_incoherent",
                       f"Le SIRET du fournisseur dans la facture ({found}) n'est pas celui de la structure qui dépose le lot "
                       f"({structure_siret}).",
                       f"The supplier's SIRET in the invoice ({found}) is not the depositing structure's ({structure_siret}).",
                       "supplier")
    return None


def kind_of(type_code: str) -> str | None:
    """The invoice kind for an EN 16931 type code (BT-3): FACTURE or AVOIR; None when not accepted here."""
    if type_code in ("380", "384", "389", "751"):
        return "FACTURE"
    if type_code in ("381", "261", "262", "396"):
        return "AVOIR"
    return None
