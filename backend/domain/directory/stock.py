"""Loading the SIRENE stock file of establishments, and generating a realistic synthetic one.

The stock file (StockEtablissement) is read as a stream in batches; each batch goes through COPY into a
staging table and is merged in one transaction that also records how many lines are done, so an
interrupted import resumes after the last committed batch.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from stdnum import luhn

from backend.domain.directory import rules, store
from backend.infra.database import open_pool, transaction

CSV_HEADER = ("siren", "nic", "siret", "etatAdministratifEtablissement", "denominationUniteLegale",
              "enseigne1Etablissement", "numeroVoieEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement",
              "complementAdresseEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
              "categorieJuridiqueUniteLegale")
BATCH = 20_000


def record(*, siret: str, denomination: str, enseigne: str | None = None, street_number: str | None = None,
           street_type: str | None = None, street_name: str | None = None, address_complement: str | None = None,
           postcode: str | None = None, city: str | None = None, active: bool = True,
           categorie_juridique: str | None = None, country: str = "FR") -> tuple:
    is_public = rules.is_public_category(categorie_juridique)
    name_norm = rules.normalise(f"{denomination} {enseigne or ''}")
    return (siret, siret[:9], siret[9:], denomination, enseigne or None, street_number or None, street_type or None,
            street_name or None, address_complement or None, postcode or None, city or None, country, active,
            categorie_juridique or None, is_public, name_norm, rules.rank(active=active, is_public=is_public, name_norm=name_norm))


def record_from_csv(row: dict[str, str]) -> tuple | None:
    """A StockEtablissement line (plus the legal unit's name and category when the extract has them)."""
    siret = (row.get("siret") or "").strip()
    if not rules.is_valid_siret(siret):
        return None
    denomination = (row.get("denominationUniteLegale") or row.get("denominationUsuelleEtablissement")
                    or row.get("enseigne1Etablissement") or "").strip()
    if not denomination:
        denomination = " ".join(p for p in (row.get("prenom1UniteLegale"), row.get("nomUniteLegale")) if p) or siret
    return record(
        siret=siret, denomination=denomination, enseigne=(row.get("enseigne1Etablissement") or "").strip() or None,
        street_number=row.get("numeroVoieEtablissement"), street_type=row.get("typeVoieEtablissement"),
        street_name=row.get("libelleVoieEtablissement"), address_complement=row.get("complementAdresseEtablissement"),
        postcode=row.get("codePostalEtablissement"), city=row.get("libelleCommuneEtablissement"),
        active=(row.get("etatAdministratifEtablissement") or "A").strip() != "F",
        categorie_juridique=(row.get("categorieJuridiqueUniteLegale") or "").strip() or None)


def _progress(done: int, total: int | None) -> None:
    if total:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} lignes")
    else:
        sys.stderr.write(f"\r  {done:,} lignes")
    sys.stderr.flush()


async def import_stock(path: Path, *, batch: int = BATCH, stop_after: int | None = None, quiet: bool = False) -> int:
    """Import (or resume importing) a stock CSV; returns the number of lines done in all."""
    source = str(path.resolve())
    total = None if quiet else sum(1 for _ in path.open("rb")) - 1
    await open_pool()
    done = await store.start_import(source)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for _ in range(done):
            next(reader, None)
        while True:
            chunk = [row for _, row in zip(range(batch), reader)]
            if not chunk:
                break
            records = [r for r in map(record_from_csv, chunk) if r is not None]
            # The batch and the count of lines done commit together: a resumed import starts after it.
            async with transaction():
                ids = await store.load_records(records) if records else []
                if ids:
                    await store.rebuild_prefixes(ids)
                done += len(chunk)
                await store.record_import_progress(source, done)
            if not quiet:
                _progress(done, total)
            if stop_after is not None and done >= stop_after:
                return done
    await store.finish_import(source)
    if not quiet:
        sys.stderr.write("\n")
    return done


# Synthetic register ----------------------------------------------------------------------------

STREET_TYPES = ("RUE", "AV", "BD", "PL", "CHE", "ALL", "IMP", "RTE", "QUAI")
FORMS = ("SARL", "SAS", "SA", "EURL", "SCOP", "SASU", "SCI", "")
TRADES = ("Boulangerie", "Menuiserie", "Plomberie", "Électricité", "Transports", "Imprimerie", "Conseil", "Informatique",
          "Nettoyage", "Traiteur", "Garage", "Pharmacie", "Librairie", "Architecture", "Paysagiste", "Maçonnerie",
          "Fournitures", "Bureautique", "Ingénierie", "Sécurité", "Formation", "Restauration", "Peinture", "Chauffage")
PUBLIC_KINDS = (("Mairie de {city}", "7210"), ("Commune de {city}", "7210"), ("Centre hospitalier de {city}", "7364"),
                ("Collège {name}", "7331"), ("Lycée {name}", "7331"), ("Communauté de communes de {city}", "7346"),
                ("Centre communal d'action sociale de {city}", "7361"), ("Syndicat des eaux de {city}", "7354"))


def _siren_bodies(count: int, rng: random.Random) -> Iterator[str]:
    for body in rng.sample(range(10_000_000, 100_000_000), count):
        yield f"{body}"


def generate_records(count: int, *, seed: int = 2026, public_share: float = 0.04, closed_share: float = 0.08) -> Iterator[tuple]:
    """`count` establishments with valid SIRETs, French names, streets and towns (deterministic per seed)."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    last_names = [fake.last_name() for _ in range(3000)]
    first_names = [fake.first_name() for _ in range(800)]
    streets = [fake.street_name().split(" ", 1)[-1] for _ in range(3000)]
    towns = [(fake.city(), fake.postcode()) for _ in range(4000)]
    for body in _siren_bodies(count, rng):
        siren = body + luhn.calc_check_digit(body)
        nic_body = f"{rng.randint(1, 9999):04d}"
        siret = siren + nic_body + luhn.calc_check_digit(siren + nic_body)
        city, postcode = rng.choice(towns)
        if rng.random() < public_share:
            template, category = rng.choice(PUBLIC_KINDS)
            name = template.format(city=city, name=f"{rng.choice(first_names)} {rng.choice(last_names)}")
            enseigne = None
        else:
            category = rng.choice(("5499", "5710", "5720", "1000", "6540"))
            name = f"{rng.choice(TRADES)} {rng.choice(last_names)}"
            if rng.random() < 0.5:
                name = f"{name} {rng.choice(FORMS)}".strip()
            enseigne = f"{rng.choice(TRADES)} du {rng.choice(streets)}" if rng.random() < 0.15 else None
        yield record(siret=siret, denomination=name.upper() if rng.random() < 0.3 else name, enseigne=enseigne,
                     street_number=str(rng.randint(1, 180)), street_type=rng.choice(STREET_TYPES),
                     street_name=rng.choice(streets).upper(), postcode=postcode, city=city.upper(),
                     active=rng.random() >= closed_share, categorie_juridique=category)


async def load_generated(count: int, *, seed: int = 2026, batch: int = 50_000, progress: bool = True) -> int:
    """Load `count` synthetic establishments and rebuild the prefix index once at the end."""
    done = 0
    await open_pool()
    buffer: list[tuple] = []
    for rec in generate_records(count, seed=seed):
        buffer.append(rec)
        if len(buffer) >= batch:
            await store.load_records(buffer)
            done += len(buffer)
            buffer.clear()
            if progress:
                _progress(done, count)
    if buffer:
        await store.load_records(buffer)
        done += len(buffer)
    if progress:
        _progress(done, count)
        sys.stderr.write("\n  index des préfixes…\n")
    await store.rebuild_prefixes(None)
    await store.analyze()
    return done


def write_csv(records: Iterable[tuple], path: Path) -> int:
    """Write records in the stock-file format (for tests and for trying the import command)."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for r in records:
            (siret, siren, nic, denomination, enseigne, number, street_type, street, complement, postcode, city,
             _country, active, category, *_rest) = r
            writer.writerow((siren, nic, siret, "A" if active else "F", denomination, enseigne or "", number or "",
                             street_type or "", street or "", complement or "", postcode or "", city or "", category or ""))
            count += 1
    return count
