"""Issue 20, item 9: files are what their content says, and nothing in a lot disappears from its report.

Without the fixes: an EXE with `%PDF-` at byte 64 was stored as a PDF attachment (the sniffer looked for
the header anywhere in the first kilobyte); an HTML page was sniffed as XML (any colon in its first 200
characters); an empty ZIP (it starts with its end-of-directory record, `PK\\x05\\x06`) was « not a zip »
instead of « empty »; a member named `..\\..\\x.xml` was skipped as a hidden file (its name starts with a dot).
"""

from __future__ import annotations

import io
import zipfile

import pytest

from backend.infra.files import sniff_type
from tests.api.invoices.helpers import recipient, upload
from tests.api.lots.test_lots import deposit, number, wait_processed
from tests.support.factories import supplier_with_structure
from tests.support.lots import archive, cii_invoice

EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"%PDF-1.4\n" + b"\x00" * 500
HTML = [b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
        b"<p>Voir http://exemple.fr : <img src=x onerror=alert(1)></p>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>']


def empty_zip() -> bytes:
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def test_a_pdf_header_that_is_not_at_byte_0_does_not_make_a_pdf() -> None:
    assert sniff_type(EXE) is None
    assert sniff_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3") == "pdf"


@pytest.mark.parametrize("page", HTML)
def test_html_is_not_xml(page: bytes) -> None:
    assert sniff_type(page) is None


def test_invoices_are_still_xml() -> None:
    assert sniff_type(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">') == "xml"
    assert sniff_type(b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact">') == "xml"


async def test_an_executable_is_refused_as_an_attachment_and_as_an_invoice(client):
    _, structure = await supplier_with_structure(client)
    for role in ("piece_jointe", "principal"):
        response = await upload(client, EXE, structure_id=structure["id"], name="facture.pdf", role=role)
        assert response.status_code == 415, (role, response.text)
    response = await upload(client, HTML[0], structure_id=structure["id"], name="annexe.xml", role="piece_jointe")
    assert response.status_code == 415, response.text


async def test_an_empty_zip_is_reported_as_empty(client):
    _, supplier = await supplier_with_structure(client)
    response = await deposit(client, supplier["id"], empty_zip())
    assert response.status_code == 422 and response.json()["code"] == "lot_vide", response.text
    assert response.json()["message"] == "Le lot ne contient aucune facture."


async def test_members_whose_path_leaves_the_archive_are_reported_as_refused(client, worker):
    _, supplier = await supplier_with_structure(client)
    town = await recipient()
    invoice = lambda: cii_invoice(supplier["identifier"], town["identifier"], number=number())  # noqa: E731
    names = ["..\\..\\x.xml", "../y.xml", "/etc/z.xml", "C:\\w.xml", "dossier\\.DS_Store"]
    response = await deposit(client, supplier["id"], archive({**{name: invoice() for name in names}, "ok.xml": invoice()}))
    assert response.status_code == 201, response.text
    report = await wait_processed(client, response.json()["id"])
    entries = {e["name"]: e for e in report["entries"]}
    assert set(entries) == {"../../x.xml", "../y.xml", "etc/z.xml", "C:/w.xml", "ok.xml"}  # the hidden file is skipped
    assert entries["ok.xml"]["status"] == "INTEGREE"
    for name in ("../../x.xml", "../y.xml", "etc/z.xml", "C:/w.xml"):
        assert entries[name]["status"] == "REJETEE" and [a["code"] for a in entries[name]["anomalies"]] == ["chemin_refuse"]
        assert "chemin" in entries[name]["anomalies"][0]["message"]
