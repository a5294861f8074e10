from shared.countries import countries, is_country


def test_countries_are_iso_codes_named_in_each_language_without_groupings():
    fr, en = dict(countries("fr")), dict(countries("en"))
    assert fr["FR"] == "France" and fr["DE"] == "Allemagne" and en["DE"] == "Germany"
    assert set(fr) == set(en) and all(len(code) == 2 for code in fr)
    assert not {"EU", "UN", "ZZ"} & set(fr)
    names = [name for _, name in countries("fr")]
    assert names.index("Égypte") < names.index("Espagne")  # accents ignored in the order
    assert is_country("fr") and is_country(" DE ") and not is_country("ZZ") and not is_country("")
