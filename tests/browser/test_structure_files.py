"""A structure's pièces-jointes through the interface only: the gestionnaire adds one with its designation
(a refused type is said beside the field), downloads and deletes it after a confirmation; a user with
« Organisation consultation » sees and downloads the list, and is offered neither adding nor deleting."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from shared.applications import Application, Level
from tests.support.browser import login_as
from tests.support.factories import attach, make_structure, make_user

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def open_files_tab(page, user: dict) -> None:
    await login_as(page, user)
    await page.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    await page.get_by_role("tab", name="Pièces-jointes").click()
    await page.get_by_role("heading", name="Télécharger une pièce-jointe").wait_for()


async def test_a_gestionnaire_adds_downloads_and_deletes_a_piece_jointe(new_page, client, tmp_path):
    manager, reader = await make_user(), await make_user()
    structure = await make_structure(public=True)
    await attach(manager["id"], structure["id"], principal=True, profiles={Application.ORGANISATION: Level.MODIFICATION})
    await attach(reader["id"], structure["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})
    kbis, fake = tmp_path / "kbis-2026.pdf", tmp_path / "page.pdf"
    kbis.write_bytes(PDF)
    fake.write_bytes(b"<!doctype html><script>alert(1)</script>")

    page = await new_page()
    await open_files_tab(page, manager)
    await page.locator("#structure-files-empty").wait_for()
    # a page of HTML named .pdf is refused by its content, said beside the field, and nothing is listed
    await page.locator("#structure-file").set_input_files(str(fake))
    await expect(page.locator("#structure-file-status")).to_contain_text("Type de fichier refusé")
    await expect(page.locator("#structure-files")).to_have_count(0)

    await page.get_by_label("Désignation").fill("Extrait Kbis")
    await page.locator("#structure-file").set_input_files(str(kbis))
    await page.get_by_text("Pièce-jointe « kbis-2026.pdf » ajoutée.").wait_for()
    row = page.locator("#structure-files tr[data-file='kbis-2026.pdf']")
    await expect(row).to_contain_text("Extrait Kbis")
    await expect(page.get_by_label("Désignation")).to_have_value("")  # ready for the next one
    async with page.expect_download() as download_info:
        await row.get_by_role("link", name="Télécharger kbis-2026.pdf").click()
    download = await download_info.value
    assert download.suggested_filename == "kbis-2026.pdf"
    assert open(await download.path(), "rb").read() == PDF

    # the reader sees it and may download it, but neither add nor delete
    desk = await new_page()
    await open_files_tab(desk, reader)
    await expect(desk.locator("#structure-files tr[data-file='kbis-2026.pdf']")).to_contain_text("Extrait Kbis")
    await expect(desk.get_by_role("link", name="Télécharger kbis-2026.pdf")).to_have_count(1)
    await expect(desk.locator("#structure-file-create")).to_have_count(0)
    await expect(desk.get_by_role("button", name="Supprimer kbis-2026.pdf")).to_have_count(0)

    # deletion asks first; Annuler keeps the file
    await row.get_by_role("button", name="Supprimer kbis-2026.pdf").click()
    dialog = page.get_by_role("alertdialog")
    await expect(dialog).to_contain_text("Supprimer la pièce-jointe « kbis-2026.pdf » ?")
    await dialog.get_by_role("button", name="Annuler").click()
    await expect(row).to_have_count(1)
    await row.get_by_role("button", name="Supprimer kbis-2026.pdf").click()
    await page.locator("#file-dialog-confirm").click()
    await page.get_by_text("Pièce-jointe « kbis-2026.pdf » supprimée.").wait_for()
    await page.locator("#structure-files-empty").wait_for()

    # the history keeps both changes
    await page.get_by_role("tab", name="Historique").click()
    journal = page.locator("#org-journal")
    await expect(journal).to_contain_text("Pièce-jointe supprimée")
    await expect(journal).to_contain_text("Pièce-jointe ajoutée")
