"""Support reads a user's structures in words, in its language (frontend/components/attachment_summary.py)."""

from frontend.components.attachment_summary import attachment_summary, profiles_text

ROW = {"raison_sociale": "Atelier", "identifier": "73282932000074", "status": "approuve", "is_principal": True,
       "profiles": "factures_emises modification, organisation consultation"}


def test_a_users_structure_reads_as_words_in_french_and_in_english():
    assert attachment_summary(ROW, "fr") == ("Atelier (73282932000074) — Validé — gestionnaire principal — "
                                             "Factures émises modification, Organisation consultation")
    assert "Approved — main manager — Issued invoices" in attachment_summary(ROW, "en")


def test_a_profile_the_catalogue_does_not_know_is_shown_as_given_and_none_adds_nothing():
    assert profiles_text("inconnue modification", "fr") == "inconnue modification"
    assert attachment_summary({**ROW, "is_principal": False, "profiles": ""}, "fr") == "Atelier (73282932000074) — Validé"
