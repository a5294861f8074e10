from backend.domain.directory.rules import (
    QueryKind, is_public_category, is_valid_siret, normalise, parse_query, prefixes, rank,
)


def test_names_are_normalised_without_case_accents_or_punctuation():
    assert normalise("Mairie de l'Île-d'Yeu") == "mairie de l ile d yeu"
    assert normalise("  ÉCOLE   Supérieure ") == "ecole superieure"


def test_every_word_prefix_up_to_eight_characters_is_indexed():
    assert prefixes("mairie de schiltigheim") >= {"m", "ma", "mairie", "d", "de", "s", "schiltig"}
    assert "schiltigh" not in prefixes("mairie de schiltigheim")


def test_digits_are_read_as_siren_or_siret_prefixes_spaces_allowed():
    assert parse_query("216 704 478").kind == QueryKind.SIREN
    parsed = parse_query("216 704 478 00017")
    assert parsed.kind == QueryKind.SIRET and parsed.digits == "21670447800017"


def test_words_in_any_order_drive_on_the_longest():
    parsed = parse_query("schil Mair")
    assert parsed.kind == QueryKind.NAME and parsed.words == ("schil", "mair")
    assert parsed.driving_word == "schil"


def test_a_full_siret_with_a_wrong_check_digit_is_flagged():
    assert is_valid_siret("21670447800017")
    assert parse_query("21670447800018").full_siret_invalid
    assert not parse_query("21670447800017").full_siret_invalid


def test_empty_or_punctuation_only_queries_are_empty():
    assert parse_query("  -- ").kind == QueryKind.EMPTY


def test_public_bodies_are_recognised_by_their_legal_category():
    assert is_public_category("7210") and not is_public_category("5710") and not is_public_category(None)


def test_open_public_bodies_rank_before_companies_and_closed_ones():
    public = rank(active=True, is_public=True, name_norm="mairie de x")
    company = rank(active=True, is_public=False, name_norm="sarl")
    closed = rank(active=False, is_public=True, name_norm="a")
    assert public < company < closed
