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

from shared.errors import DomainError
import shared.i18n_labels  # noqa: F401  (registers the names)
from shared.i18n import label as i18n_label

MAX_ENTRIES = 500
MAX_ENTRY_BYTES = 30 * 1024 * 1024
# A small archive may unpack to far more (a « zip bomb »): refuse past this total before reading it.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


class DepositFormat(StrEnum):
    """« Format de dépôt »: what the archive holds."""

    XML_STRUCTURE = "XML_STRUCTURE"  # « XML structuré »: UBL Invoice or CII 16B
    PDF_FACTURX = "PDF_FACTURX"      # « PDF A3 »: Factur-X (a PDF carrying its CII XML)
    XML_MIXTE = "XML_MIXTE"          # « XML mixte »: a minimal UBL or CII XML carrying the invoice's PDF


class Syntax(StrEnum):
    UBL = "UBL"
    CII = "CII"
    FACTURX = "FACTURX"
    UBL_MIN = "UBL_MIN"  # « UBL Invoice Min »
    CII_MIN = "CII_MIN"  # « CII Min »


SYNTAXES: dict[DepositFormat, tuple[Syntax, ...]] = {
    DepositFormat.XML_STRUCTURE: (Syntax.UBL, Syntax.CII),
    DepositFormat.PDF_FACTURX: (Syntax.FACTURX,),
    DepositFormat.XML_MIXTE: (Syntax.UBL_MIN, Syntax.CII_MIN),
}
ENTRY_EXTENSIONS = {DepositFormat.XML_STRUCTURE: ".xml", DepositFormat.PDF_FACTURX: ".pdf", DepositFormat.XML_MIXTE: ".xml"}
# The XML syntax each declared syntax is read in: Factur-X carries CII, the « Min » syntaxes are UBL and CII
# with fewer data (the embedded PDF is the invoice).
XML_SYNTAX = {Syntax.UBL: "UBL", Syntax.CII: "CII", Syntax.FACTURX: "CII", Syntax.UBL_MIN: "UBL", Syntax.CII_MIN: "CII"}


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


class Problem(DomainError):
    """Why a lot, or one of its files, is refused: a code, its field, the parameters of its text. Returned (an
    entry's problem goes in the report) or raised (LotRuleError, where the whole lot or one file's reading stops)."""

    def __getitem__(self, index: int):  # read as the (code, message_fr, message_en, field) it used to be
        return (self.code, self.message_fr, self.message_en, self.field)[index]


class LotRuleError(Problem):
    """A Problem raised: 422 at a route."""

    status_code = 422

    @property
    def problem(self) -> Problem:
        return self


def label(value: DepositFormat | Syntax, lang: str = "fr") -> str:
    """Its name in the catalogue (shared/i18n_labels.py, `DepositFormat.<value>`, `Syntax.<value>`)."""
    return i18n_label(value, lang)


def check_choice(deposit_format: str, syntax: str) -> tuple[DepositFormat, Syntax]:
    try:
        chosen_format = DepositFormat(deposit_format)
    except ValueError:
        raise LotRuleError('format_inconnu', "deposit_format") from None
    try:
        chosen_syntax = Syntax(syntax)
    except ValueError:
        raise LotRuleError('syntaxe_inconnue', "syntax", variant='choisissez_syntaxe_factures') from None
    if chosen_syntax not in SYNTAXES[chosen_format]:
        allowed = ", ".join(label(s) for s in SYNTAXES[chosen_format])
        raise LotRuleError('syntaxe_incoherente', "syntax", format=label(chosen_format), allowed=allowed, format_en=label(chosen_format, 'en'))
    return chosen_format, chosen_syntax


# A ZIP starts with a local file header, or, when it holds nothing, directly with its end of central directory.
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


def archive_kind(name: str, head: bytes) -> str:
    """"zip" or "tar.gz" when the file name's extension and the content agree, else a LotRuleError."""
    lower = name.lower()
    by_name = "zip" if lower.endswith(".zip") else "tar.gz" if lower.endswith((".tar.gz", ".tgz")) else None
    by_content = "zip" if head.startswith(ZIP_MAGICS) else "tar.gz" if head.startswith(b"\x1f\x8b") else None
    if by_name is None:
        raise LotRuleError('extension_refusee')
    if by_content != by_name:
        raise LotRuleError('extension_incoherente', by_name=by_name)
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
        # Windows tools write backslashes: `..\\x.xml` is a path with `..` in it, not a hidden file to skip.
        path = member.name.replace("\\", "/")
        base = posixpath.basename(path.rstrip("/"))
        if not member.is_file or not base or base.startswith(".") or "__MACOSX/" in path or base.lower() == "thumbs.db":
            continue
        kept.append(member)
    if not kept:
        raise LotRuleError('lot_vide')
    if len(kept) > MAX_ENTRIES:
        raise LotRuleError('lot_trop_grand', count=len(kept), MAX_ENTRIES=MAX_ENTRIES)
    if sum(m.size for m in kept) > MAX_UNPACKED_BYTES:
        raise LotRuleError('lot_trop_volumineux')
    return kept


TOO_LARGE = Problem('fichier_trop_volumineux')


UNSAFE_PATH = Problem('chemin_refuse')


def unsafe_path(member_name: str) -> bool:
    """A member path that would climb out of the archive if extracted (zip slip), with / or \\ separators."""
    path = member_name.replace("\\", "/")
    return path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/")


def entry_problem(member_name: str, size: int, deposit_format: DepositFormat) -> Problem | None:
    """Why one member cannot be an invoice of this lot, before reading it, or None."""
    if unsafe_path(member_name):
        return UNSAFE_PATH
    extension = ENTRY_EXTENSIONS[deposit_format]
    if not member_name.lower().endswith(extension):
        return Problem('extension_refusee', variant='fichier_ignore_format', format=label(deposit_format), extension=extension, format_en=label(deposit_format, 'en'))
    if size > MAX_ENTRY_BYTES:
        return TOO_LARGE
    if size == 0:
        return Problem('fichier_vide')
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
    """The number given to the depositor, shaped like Chorus Pro's (« … importé correctement sous le numéro
    [CPP0011100000000000000346] »): CPP, the year, then the lot's sequence number on 18 digits."""
    return f"CPP{created_at:%Y}{lot_id:018d}"


def format_mismatch(members: list[ArchiveMember], deposit_format: DepositFormat) -> Problem | None:
    """Why the archive does not hold the declared format, naming its files, or None: checked before the lot
    is accepted, so a ZIP of XML declared « PDF A3 » is refused at once instead of rejected file by file."""
    extension = ENTRY_EXTENSIONS[deposit_format]
    wrong = [display_name(m.name) for m in members if not m.name.lower().endswith(extension)]
    if not wrong:
        return None
    shown = ", ".join(wrong[:5]) + (f" (+{len(wrong) - 5})" if len(wrong) > 5 else "")
    return Problem("format_incoherent", "deposit_format", format=label(deposit_format), format_en=label(deposit_format, "en"),
                   extension=extension, shown=shown)


def invoice_problem(syntax: str, type_code: str, supplier_siret: str | None, *, declared: Syntax,
                    structure_siret: str) -> Problem | None:
    """Why an invoice read from a lot (its syntax, BT-3 type, seller SIRET) does not belong in it, or None.
    A Factur-X file carries CII, an « XML mixte » the UBL or CII of its « Min » syntax; the seller must be the
    structure depositing the lot."""
    expected = XML_SYNTAX[declared]
    if syntax != expected:
        return Problem('syntaxe_incoherente', variant='facture_syntaxe_syntax', syntax=syntax, declared=label(declared), declared_en=label(declared, 'en'))
    if kind_of(type_code) is None:
        return Problem('type_refuse', variant='type_document_type', type_code=type_code or '(absent)', type_code_en=type_code or '(none)')
    if supplier_siret != structure_siret:
        found = supplier_siret or "absent"
        return Problem('fournisseur_incoherent', "supplier", found=found, structure_siret=structure_siret)
    return None


# BT-3 codes accepted: every code the French reform allows (BR-FR-04: 380, 389, 393, 501, 386, 500, 384, 471,
# 472, 473, 261, 262, 381, 396, 502, 503), plus the EN 16931 invoice codes 575 (insurer's invoice) and 751
# (invoice information for accounting purposes) met in valid samples.
INVOICE_TYPE_CODES = frozenset({"380", "389", "393", "501", "386", "500", "384", "471", "472", "473", "575", "751"})
CREDIT_NOTE_TYPE_CODES = frozenset({"381", "261", "262", "396", "502", "503"})


def kind_of(type_code: str) -> str | None:
    """The invoice kind for a type code (BT-3): FACTURE or AVOIR; None when not accepted here."""
    if type_code in INVOICE_TYPE_CODES:
        return "FACTURE"
    if type_code in CREDIT_NOTE_TYPE_CODES:
        return "AVOIR"
    return None
