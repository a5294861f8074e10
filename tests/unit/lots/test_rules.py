"""Lot rules: the declared format and syntax, the archive as a whole, each member, the lot's outcome."""

from __future__ import annotations

from datetime import datetime

import pytest

from backend.domain.lots import rules
from backend.domain.lots.rules import ArchiveMember, DepositFormat, LotRuleError, LotStatus, Syntax


def test_a_format_accepts_only_its_syntaxes():
    assert rules.check_choice("XML_STRUCTURE", "UBL") == (DepositFormat.XML_STRUCTURE, Syntax.UBL)
    assert rules.check_choice("PDF_FACTURX", "FACTURX") == (DepositFormat.PDF_FACTURX, Syntax.FACTURX)
    with pytest.raises(LotRuleError) as refused:
        rules.check_choice("PDF_FACTURX", "UBL")
    assert refused.value.code == "syntaxe_incoherente" and "Factur-X" in refused.value.message_fr
    with pytest.raises(LotRuleError, match="format de dépôt"):
        rules.check_choice("PES", "UBL")
    with pytest.raises(LotRuleError, match="syntaxe"):
        rules.check_choice("XML_STRUCTURE", "EDIFACT")


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("lot.zip", b"PK\x03\x04rest", "zip"), ("LOT.ZIP", b"PK\x03\x04", "zip"),
    ("lot.tar.gz", b"\x1f\x8b\x08", "tar.gz"), ("lot.tgz", b"\x1f\x8b\x08", "tar.gz"),
])
def test_the_archive_kind_comes_from_name_and_content_agreeing(name, head, kind):
    assert rules.archive_kind(name, head) == kind


@pytest.mark.parametrize(("name", "head", "code"), [
    ("lot.rar", b"Rar!", "extension_refusee"), ("factures.xml", b"<?xml", "extension_refusee"),
    ("lot.zip", b"\x1f\x8b\x08", "extension_incoherente"), ("lot.tar.gz", b"PK\x03\x04", "extension_incoherente"),
    ("lot.zip", b"%PDF-1.7", "extension_incoherente"),
])
def test_an_archive_whose_extension_lies_is_refused(name, head, code):
    with pytest.raises(LotRuleError) as refused:
        rules.archive_kind(name, head)
    assert refused.value.code == code


def test_folders_and_system_files_are_not_invoices():
    members = [ArchiveMember("factures/", 0, False), ArchiveMember("factures/a.xml", 10), ArchiveMember("__MACOSX/._a.xml", 5),
               ArchiveMember("factures/.DS_Store", 3), ArchiveMember("Thumbs.db", 2), ArchiveMember("b.xml", 20),
               ArchiveMember("lien", 0, False)]
    assert [m.name for m in rules.invoice_members(members)] == ["factures/a.xml", "b.xml"]


def test_an_empty_or_oversized_lot_is_refused():
    with pytest.raises(LotRuleError) as empty:
        rules.invoice_members([ArchiveMember("dossier/", 0, False), ArchiveMember(".DS_Store", 1)])
    assert empty.value.code == "lot_vide"
    with pytest.raises(LotRuleError) as many:
        rules.invoice_members([ArchiveMember(f"{i}.xml", 1) for i in range(rules.MAX_ENTRIES + 1)])
    assert many.value.code == "lot_trop_grand" and str(rules.MAX_ENTRIES + 1) in many.value.message_fr
    with pytest.raises(LotRuleError) as bomb:
        rules.invoice_members([ArchiveMember("a.xml", rules.MAX_UNPACKED_BYTES), ArchiveMember("b.xml", 1)])
    assert bomb.value.code == "lot_trop_volumineux"
    assert len(rules.invoice_members([ArchiveMember(f"{i}.xml", 1) for i in range(rules.MAX_ENTRIES)])) == rules.MAX_ENTRIES


def test_each_member_must_be_of_the_declared_kind():
    assert rules.entry_problem("a.XML", 10, DepositFormat.XML_STRUCTURE) is None
    assert rules.entry_problem("a.pdf", 10, DepositFormat.PDF_FACTURX) is None
    assert rules.entry_problem("a.pdf", 10, DepositFormat.XML_STRUCTURE)[0] == "extension_refusee"
    assert rules.entry_problem("a.xml", 10, DepositFormat.PDF_FACTURX)[0] == "extension_refusee"
    assert rules.entry_problem("a.xml", 0, DepositFormat.XML_STRUCTURE)[0] == "fichier_vide"
    assert rules.entry_problem("a.xml", rules.MAX_ENTRY_BYTES + 1, DepositFormat.XML_STRUCTURE)[0] == "fichier_trop_volumineux"


def test_names_are_shown_without_leading_dots_or_slashes():
    assert rules.display_name("./factures/a.xml") == "factures/a.xml"
    assert rules.display_name("/a.xml") == "a.xml"
    assert rules.display_name("dossier\\b.xml") == "dossier/b.xml"


@pytest.mark.parametrize(("integrated", "rejected", "total", "status"), [
    (0, 0, 3, LotStatus.RECU), (1, 0, 3, LotStatus.EN_COURS), (1, 1, 3, LotStatus.EN_COURS),
    (3, 0, 3, LotStatus.TRAITE), (2, 1, 3, LotStatus.PARTIEL), (0, 3, 3, LotStatus.REJETE),
])
def test_the_lot_status_follows_its_entries(integrated, rejected, total, status):
    assert rules.lot_status(integrated, rejected, total) == status


def test_the_lot_number_is_dated_and_unique_per_lot():
    assert rules.lot_number(346, datetime(2026, 12, 1, 3, 30)) == "CPP2026000000000000000346"
    assert rules.lot_number(1, datetime(2026, 12, 1)) != rules.lot_number(2, datetime(2026, 12, 1))


def test_invoices_and_credit_notes_are_accepted_other_documents_not():
    assert rules.kind_of("380") == "FACTURE" and rules.kind_of("381") == "AVOIR"
    assert rules.kind_of("325") is None  # pro forma


SIRET = "73282932000074"


def test_an_invoice_read_from_a_lot_must_be_of_its_syntax_type_and_supplier():
    ok = dict(declared=Syntax.CII, structure_siret=SIRET)
    assert rules.invoice_problem("CII", "380", SIRET, **ok) is None
    assert rules.invoice_problem("CII", "381", SIRET, declared=Syntax.FACTURX, structure_siret=SIRET) is None  # Factur-X carries CII
    assert rules.invoice_problem("UBL", "380", SIRET, **ok).code == "syntaxe_incoherente"
    assert rules.invoice_problem("CII", "325", SIRET, **ok).code == "type_refuse"
    other = rules.invoice_problem("CII", "380", "21670447800017", **ok)
    assert other.code == "fournisseur_incoherent" and other.field == "supplier" and "21670447800017" in other.message_fr
    assert "absent" in rules.invoice_problem("CII", "380", None, **ok).message_fr


@pytest.mark.parametrize("code", ["575", "380", "389", "393", "501", "386", "500", "384", "471", "472", "473"])
def test_every_invoice_type_code_the_french_rules_allow_is_an_invoice(code):
    assert rules.kind_of(code) == "FACTURE"


@pytest.mark.parametrize("code", ["381", "261", "262", "396", "502", "503"])
def test_every_credit_note_code_the_french_rules_allow_is_a_credit_note(code):
    assert rules.kind_of(code) == "AVOIR"


def test_an_archive_not_holding_the_declared_format_is_refused_naming_its_files():
    members = [rules.ArchiveMember("a.xml", 10), rules.ArchiveMember("dossier/b.xml", 10), rules.ArchiveMember("c.pdf", 10)]
    problem = rules.format_mismatch(members, rules.DepositFormat.PDF_FACTURX)
    assert problem.code == "format_incoherent" and "a.xml, dossier/b.xml" in problem.message_fr and "c.pdf" not in problem.message_fr
    assert rules.format_mismatch(members[2:], rules.DepositFormat.PDF_FACTURX) is None
