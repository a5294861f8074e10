from __future__ import annotations

import random

import pytest

from backend.domain.directory.rules import is_valid_siret
from backend.domain.directory.services import search
from backend.domain.directory.stock import generate_records, import_stock, record, write_csv
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.infra.database import connection
from tests.support.factories import random_siret


async def _load(*records) -> None:
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records(list(records))
            await rebuild_prefixes(ids)


@pytest.fixture
async def town():
    """A unique town name per test so results are not mixed with other tests' rows."""
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))
    siret_hall, siret_school, siret_shop, siret_closed = (random_siret() for _ in range(4))
    await _load(
        record(siret=siret_hall, denomination=f"Mairie de {tag}-l'Évêque", postcode="67300", city=tag.upper(), categorie_juridique="7210"),
        record(siret=siret_school, denomination=f"Collège Jean Moulin {tag}", postcode="67301", city=tag.upper(), categorie_juridique="7331"),
        record(siret=siret_shop, denomination=f"Boulangerie {tag} SARL", postcode="67302", city=tag.upper(), categorie_juridique="5499"),
        record(siret=siret_closed, denomination=f"Mairie annexe {tag}", postcode="67303", city=tag.upper(),
               categorie_juridique="7210", active=False),
    )
    return {"tag": tag, "hall": siret_hall, "school": siret_school, "shop": siret_shop, "closed": siret_closed}


async def test_words_in_any_order_without_accents_find_the_town_hall(client, town):
    response = await client.get("/api/directory/search", params={"q": f"{town['tag'][:5]} MAIR"})
    assert response.status_code == 200
    sirets = [item["siret"] for item in response.json()["items"]]
    assert sirets[0] == town["hall"] and town["closed"] in sirets
    name, _, duration = response.headers["server-timing"].partition(";dur=")
    assert name == "search" and 0 < float(duration) < 5000
    accents = await search(f"EVEQUE {town['tag']}")
    assert [i.siret for i in accents.items] == [town["hall"]]


async def test_closed_establishments_are_marked_and_can_be_excluded(client, town):
    everything = (await client.get("/api/directory/search", params={"q": f"mairie {town['tag']}"})).json()["items"]
    closed = next(item for item in everything if item["siret"] == town["closed"])
    assert closed["active"] is False
    open_only = (await client.get("/api/directory/search", params={"q": f"mairie {town['tag']}", "include_closed": "false"})).json()
    assert town["closed"] not in [item["siret"] for item in open_only["items"]]


async def test_public_only_hides_companies(client, town):
    result = (await client.get("/api/directory/search", params={"q": town["tag"], "public_only": "true"})).json()
    sirets = {item["siret"] for item in result["items"]}
    assert town["shop"] not in sirets and town["hall"] in sirets


async def test_siret_and_siren_prefixes_find_the_establishment(client, town):
    for typed in (town["school"][:6], town["school"][:9], f"{town['school'][:3]} {town['school'][3:9]} {town['school'][9:]}"):
        result = (await client.get("/api/directory/search", params={"q": typed})).json()
        assert town["school"] in [item["siret"] for item in result["items"]], typed


async def test_a_full_siret_with_a_bad_check_digit_is_reported(client, town):
    bad = town["hall"][:13] + str((int(town["hall"][13]) + 1) % 10)
    result = (await client.get("/api/directory/search", params={"q": bad})).json()
    assert result["invalid_siret"] is True and result["items"] == []


async def test_limits_are_bounded_and_long_queries_refused(client):
    assert (await client.get("/api/directory/search", params={"q": "a", "limit": 50})).status_code == 400
    assert (await client.get("/api/directory/search", params={"q": "a" * 101})).status_code == 400


async def test_one_establishment_by_siret_or_a_french_404(client, town):
    found = await client.get(f"/api/directory/{town['hall']}")
    assert found.status_code == 200 and found.json()["is_public"] is True
    missing = await client.get(f"/api/directory/{random_siret()}")
    assert missing.status_code == 404 and missing.json()["message"].startswith("Aucun établissement")


def test_generated_establishments_all_have_valid_unique_sirets():
    records = list(generate_records(3000, seed=5))
    sirets = [r[0] for r in records]
    assert all(is_valid_siret(s) for s in sirets) and len(set(sirets)) == 3000
    assert any(r[14] for r in records) and any(not r[12] for r in records)  # some public, some closed


async def test_the_stock_import_loads_a_csv_and_resumes_after_an_interruption(client, tmp_path):
    path = tmp_path / "StockEtablissement.csv"
    records = list(generate_records(250, seed=random.randint(1, 10**6)))
    write_csv(records, path)
    done = await import_stock(path, batch=100, stop_after=100, quiet=True)
    assert done == 100
    async with connection() as conn:
        loaded = await conn.fetchval("SELECT count(*) FROM establishment WHERE siret = ANY($1::text[])", [r[0] for r in records])
    assert loaded == 100
    assert await import_stock(path, batch=100, quiet=True) == 250
    async with connection() as conn:
        loaded = await conn.fetchval("SELECT count(*) FROM establishment WHERE siret = ANY($1::text[])", [r[0] for r in records])
        finished = await conn.fetchval("SELECT finished FROM directory_import WHERE source = $1", str(path.resolve()))
    assert loaded == 250 and finished
    sample = records[42]
    found = await search(sample[0][:14])
    assert found.items and found.items[0].denomination == sample[3]


async def test_a_full_prefix_rebuild_keeps_every_establishment_findable(client, town):
    from backend.domain.directory.stock import load_generated

    assert await load_generated(300, seed=random.randint(1, 10**6), progress=False) == 300
    found = await search(f"mairie {town['tag']}")
    assert town["hall"] in [item.siret for item in found.items]
    async with connection() as conn:
        widest = await conn.fetchval("SELECT max(c) FROM (SELECT count(*) AS c FROM establishment_prefix "
                                     "WHERE length(prefix) <= 2 GROUP BY prefix) x")
        has_pk = await conn.fetchval("SELECT 1 FROM pg_indexes WHERE indexname = 'establishment_prefix_pkey'")
    assert widest <= 200 and has_pk
