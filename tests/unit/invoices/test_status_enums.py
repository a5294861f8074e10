from shared.cadres import Cadre, InvoiceKind
from shared.invoice_status import DashboardColumn, InvoiceStatus, dashboard_column


def test_every_status_has_french_and_english_labels_and_one_dashboard_column():
    for status in InvoiceStatus:
        assert status.label("fr") and status.label("en")
        assert isinstance(dashboard_column(status), DashboardColumn)


def test_every_dashboard_column_counts_at_least_one_status_in_the_guide_order():
    assert [c.label() for c in DashboardColumn] == [
        "Brouillon", "Erreur d'acheminement", "Mise à disposition", "Validée", "Refusée / Rejetée",
        "Associée / Prise en compte", "Suspendue", "Déposée", "En cours de traitement par le destinataire", "Mise en paiement"]
    assert all(column.statuses for column in DashboardColumn)


def test_reform_codes_follow_the_2026_list():
    assert InvoiceStatus.DEPOSEE.reform_code == 200
    assert InvoiceStatus.MISE_A_DISPOSITION.reform_code == 203
    assert InvoiceStatus.SUSPENDUE.reform_code == 208
    assert InvoiceStatus.REFUSEE.reform_code == 210
    assert InvoiceStatus.REJETEE.reform_code == 213
    assert InvoiceStatus.BROUILLON.reform_code is None


def test_the_cadre_list_runs_from_a1_to_a25_with_flags():
    assert [c.value for c in Cadre] == [f"A{n}" for n in range(1, 26)]
    assert Cadre.A1.label().startswith("A1 Dépôt par un fournisseur")
    assert Cadre.A9.needs_holder_validation and Cadre.A12.needs_holder_validation and not Cadre.A1.needs_holder_validation
    assert Cadre.A4.is_works and not Cadre.A9.is_works and Cadre.A2.already_paid
    assert InvoiceKind.AVOIR.type_code == "381"
