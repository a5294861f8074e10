"""Demonstration register: the demo structures' establishments plus a synthetic neighbourhood."""

from __future__ import annotations

from backend.domain.directory import store
from backend.domain.directory.stock import generate_records, record
from backend.infra.database import transaction

DEMO_ESTABLISHMENTS = [
    record(siret="21670447800017", denomination="Commune de Schiltigheim", enseigne="Mairie de Schiltigheim",
           street_number="110", street_type="RTE", street_name="DE BISCHWILLER", postcode="67300", city="SCHILTIGHEIM",
           categorie_juridique="7210"),
    record(siret="11000201100044", denomination="Ministère de l'Économie et des Finances", street_number="139",
           street_type="RUE", street_name="DE BERCY", postcode="75012", city="PARIS", categorie_juridique="7113"),
    record(siret="26670005100013", denomination="Centre hospitalier de Haguenau", street_number="64", street_type="AV",
           street_name="DU PROFESSEUR LERICHE", postcode="67500", city="HAGUENAU", categorie_juridique="7364"),
    record(siret="73282932000074", denomination="Atelier Démo Fournitures", street_number="12", street_type="RUE",
           street_name="DES ARTISANS", postcode="67300", city="SCHILTIGHEIM", categorie_juridique="5710"),
    record(siret="51858054300107", denomination="Antigone", street_number="3", street_type="RUE",
           street_name="DU JEU DES ENFANTS", postcode="67000", city="STRASBOURG", categorie_juridique="5499"),
    record(siret="47840796800054", denomination="Artenréel", street_number="8", street_type="RUE",
           street_name="DU FOSSE DES TANNEURS", postcode="67000", city="STRASBOURG", categorie_juridique="5499"),
    record(siret="40483304800022", denomination="Boulangerie Fermée Dupuis", street_number="2", street_type="PL",
           street_name="DU MARCHE", postcode="67500", city="HAGUENAU", categorie_juridique="5499", active=False),
]


async def seed_directory(synthetic: int = 2000) -> bool:
    if await store.has_establishment(DEMO_ESTABLISHMENTS[0][0]):
        return False
    async with transaction():
        ids = await store.load_records([*DEMO_ESTABLISHMENTS, *generate_records(synthetic, seed=67)])
        await store.rebuild_prefixes(ids)
    return True
