"""« Gérer une structure » and « Gérer un service » over the API: edits journaled with before/after,
services created, modified, deactivated (no new invoice, named), engagement flags enforced at deposit."""

from __future__ import annotations

import pytest

from backend.infra.errors import ChoraleError
from shared.applications import Application, Level
from tests.api.organisation.test_organisation import mairie_with_manager, session_of
from tests.support.factories import attach, make_user, supplier_with_structure
from tests.support.invoices import send_typed_invoice


def _codes(error: ChoraleError) -> str:
    return repr(error.body())


async def test_structure_details_are_edited_and_history_kept(app, client):
    manager, mairie = await mairie_with_manager()
    reader = await make_user()
    await attach(reader["id"], mairie["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})
    path = f"/api/organisation/structures/{mairie['id']}/"
    async with session_of(app, manager) as http:
        too_long = await http.patch(path, json={"postcode": "1" * 11})
        assert too_long.status_code == 400 and too_long.json()["field"] == "postcode"
        empty = await http.patch(path, json={"city": "  "})
        assert empty.status_code == 400 and empty.json()["field"] == "city"
        frozen = await http.patch(path, json={"identifier": "123"})
        assert frozen.status_code == 400  # the identifier is not among the fields one may change
        edited = await http.patch(path, json={"city": "Lyon", "requires_engagement": True})
        assert edited.status_code == 200 and edited.json()["city"] == "Lyon" and edited.json()["requires_engagement"] is True
        journal = (await http.get(f"/api/organisation/structures/{mairie['id']}/journal")).json()
        assert journal[0]["kind"] == "structure_modifiee"
        assert journal[0]["details"] == {"before": {"city": "Paris", "requires_engagement": False},
                                         "after": {"city": "Lyon", "requires_engagement": True}}
    async with session_of(app, reader) as http:
        assert (await http.get(path)).status_code == 200
        assert (await http.patch(path, json={"city": "Nice"})).status_code == 403


async def test_services_are_created_modified_and_a_deactivated_one_takes_no_new_invoice(app, client):
    manager, mairie = await mairie_with_manager(services=(("COMPTA", "Comptabilité"),))
    supplier_user, supplier = await supplier_with_structure()
    base = f"/api/organisation/structures/{mairie['id']}/services"
    async with session_of(app, manager) as http:
        created = await http.post(base, json={"code": "VOIRIE", "libelle": "Voirie", "requires_engagement": True})
        assert created.status_code == 201, created.text
        voirie = created.json()
        duplicate = await http.post(base, json={"code": "voirie", "libelle": "Encore"})
        assert duplicate.status_code == 400 and duplicate.json()["code"] == "code_service_existant"
        blank = await http.post(base, json={"code": " ", "libelle": "X"})
        assert blank.status_code == 400 and blank.json()["field"] == "code"
        compta = next(s for s in (await http.get(base)).json() if s["code"] == "COMPTA")
        off = await http.patch(f"{base}/{compta['id']}", json={"active": False})
        assert off.status_code == 200 and off.json()["active"] is False
        assert [s["code"] for s in (await http.get(base)).json()] == ["COMPTA", "VOIRIE"]  # inactive ones are listed
        journal = (await http.get(f"/api/organisation/structures/{mairie['id']}/journal")).json()
        assert [e["kind"] for e in journal[:2]] == ["service_desactive", "service_cree"]
    with pytest.raises(ChoraleError) as inactive:
        await send_typed_invoice(supplier_user, supplier, mairie, number="SV-1", service_code="COMPTA")
    assert "COMPTA" in _codes(inactive.value)
    with pytest.raises(ChoraleError) as engagement:
        await send_typed_invoice(supplier_user, supplier, mairie, number="SV-2", service_code="VOIRIE")
    assert "engagement_obligatoire" in _codes(engagement.value) and "VOIRIE" in _codes(engagement.value)
    other_manager, other = await mairie_with_manager()
    async with session_of(app, other_manager) as http:  # another structure's service: not found
        assert (await http.patch(f"/api/organisation/structures/{other['id']}/services/{voirie['id']}",
                                 json={"active": False})).status_code == 404
        assert (await http.get(base)).status_code == 404


async def test_users_are_exported_as_csv_and_xlsx_with_formulas_neutralised(app, client):
    import io

    from openpyxl import load_workbook

    manager, mairie = await mairie_with_manager()
    tricky = await make_user(first_name="=HYPERLINK(\"http://x\")", last_name="Piège")
    await attach(tricky["id"], mairie["id"], service_id=mairie["services"][0]["id"],
                 profiles={Application.FACTURES_RECUES: Level.CONSULTATION})
    base = f"/api/organisation/structures/{mairie['id']}/users/export"
    async with session_of(app, manager) as http:
        csv_response = await http.get(base, params={"format": "csv"})
        assert csv_response.status_code == 200 and "attachment" in csv_response.headers["content-disposition"]
        text = csv_response.content.decode("utf-8-sig")
        assert text.splitlines()[0].startswith("Utilisateur;Adresse de connexion;Adresse email de contact")
        assert "'=HYPERLINK" in text and "COMPTA" in text and "Factures reçues consultation" in text
        one = await http.get(base, params={"format": "csv", "user_id": tricky["id"]})
        assert len(one.content.decode("utf-8-sig").strip().splitlines()) == 2
        searched = await http.get(base, params={"format": "csv", "q": "piège"})
        assert manager["email"] not in searched.content.decode("utf-8-sig")
        xlsx = await http.get(base, params={"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert [c.value for c in sheet[1]][:2] == ["Utilisateur", "Adresse de connexion"] and sheet.max_row == 3
        assert (await http.get(base, params={"format": "pdf"})).json()["code"] == "format_inconnu"
    stranger = await make_user()
    async with session_of(app, stranger) as http:
        assert (await http.get(base, params={"format": "csv"})).status_code == 404
