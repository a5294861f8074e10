"""The directory store against the real database: typed rows, keyset pages, loading atomically."""

from __future__ import annotations

import random

import pytest

from backend.domain.directory import rules, store
from backend.domain.directory.stock import record
from backend.infra.database import transaction
from tests.support.factories import random_siret


def _tag() -> str:
    return "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))


async def _load(*records) -> list[int]:
    ids = await store.load_records(list(records))
    await store.rebuild_prefixes(ids)
    return ids


async def test_search_and_lookup_return_typed_establishments(client):
    tag, siret = _tag(), random_siret()
    await _load(record(siret=siret, denomination=f"Mairie de {tag}", enseigne="Hôtel de ville", street_number="2",
                       street_type="PL", street_name="DE LA MAIRIE", postcode="67000", city=tag.upper(),
                       categorie_juridique="7210"))
    found = await store.search(rules.parse_query(f"mairie {tag}"), public_only=True, include_closed=True, limit=5)
    assert found == [store.Establishment(siret=siret, siren=siret[:9], denomination=f"Mairie de {tag}", enseigne="Hôtel de ville",
                                         street_number="2", street_type="PL", street_name="DE LA MAIRIE", address_complement=None,
                                         postcode="67000", city=tag.upper(), country="FR", active=True, is_public=True,
                                         categorie_juridique="7210")]
    assert await store.establishment(siret) == found[0]
    assert await store.establishment(random_siret()) is None
    assert await store.has_establishment(siret) and not await store.has_establishment(random_siret())


async def test_advanced_search_pages_by_name_then_siret(client):
    tag = _tag()
    names = [f"Atelier {tag} {letter}" for letter in "abcde"]
    await _load(*(record(siret=random_siret(), denomination=name, postcode="69002", city=f"LYON {tag.upper()}",
                         categorie_juridique="5499") for name in names),
                record(siret=random_siret(), denomination=f"Atelier {tag} public", postcode="13001", city="MARSEILLE",
                       categorie_juridique="7210"))
    criteria = {"name_words": ["atelier", tag], "postcode": "690", "city_words": [tag], "kind": "private"}
    first = await store.advanced_search(**criteria, after=None, limit=3)
    assert [e.denomination for e in first] == names[:3]
    last = first[-1]
    rest = await store.advanced_search(**criteria, after=(rules.normalise(last.denomination), last.siret), limit=3)
    assert [e.denomination for e in rest] == names[3:]
    public = await store.advanced_search(name_words=[tag], postcode="", city_words=[], kind="public", after=None, limit=10)
    assert [e.denomination for e in public] == [f"Atelier {tag} public"]


async def test_a_batch_and_its_prefixes_roll_back_together(client):
    tag, siret = _tag(), random_siret()
    with pytest.raises(RuntimeError):
        async with transaction():
            await _load(record(siret=siret, denomination=f"Menuiserie {tag}"))
            raise RuntimeError
    assert not await store.has_establishment(siret)
    assert await store.search(rules.parse_query(tag), public_only=False, include_closed=True, limit=5) == []


async def test_import_progress_is_kept_per_source(client, tmp_path):
    source = str(tmp_path / f"{_tag()}.csv")
    assert await store.start_import(source) == 0
    await store.record_import_progress(source, 120)
    assert await store.start_import(source) == 120
    await store.finish_import(source)
    assert await store.start_import(source) == 120
