import pytest

from shared.i18n import normalise_lang, register, t


def test_texts_are_french_by_default_and_english_on_request():
    assert t("nav.issued") == "Factures émises"
    assert t("nav.issued", "en") == "Issued invoices"


def test_an_unknown_language_falls_back_to_french():
    assert normalise_lang("de") == "fr"
    assert normalise_lang("en") == "en"


def test_a_key_cannot_be_registered_twice_with_other_texts():
    register({"test.key": ("Un", "One")})
    register({"test.key": ("Un", "One")})
    with pytest.raises(ValueError):
        register({"test.key": ("Deux", "Two")})


def test_parameters_are_substituted():
    register({"test.hello": ("Bonjour {name}", "Hello {name}")})
    assert t("test.hello", "en", name="Ada") == "Hello Ada"
