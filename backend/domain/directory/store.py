"""The directory slice's store: the only code that reads or writes establishment, establishment_prefix and
directory_import. It returns typed rows (`Establishment`), never dicts.

Most of it is SQL the query builder cannot say: the search is the benchmarked hot path (bench/RESULTS.md),
the prefix index is built with set-returning functions and window functions, and the stock import
loads its batches with COPY."""

from __future__ import annotations

import msgspec

from backend.domain.directory import rules
from backend.domain.directory.rules import QueryKind
from backend.domain.directory.tables import DirectoryImport
from backend.domain.directory.tables import Establishment as EstablishmentTable
from backend.infra.database import connection, transaction

RECORD_COLUMNS = ("siret", "siren", "nic", "denomination", "enseigne", "street_number", "street_type", "street_name",
                  "address_complement", "postcode", "city", "country", "active", "categorie_juridique", "is_public",
                  "name_norm", "rank")
COLUMNS = ("siret, siren, denomination, enseigne, street_number, street_type, street_name, address_complement, "
           "postcode, city, country, active, is_public, categorie_juridique")


class Establishment(msgspec.Struct, frozen=True):
    """An establishment as the register shows it (fields in COLUMNS' order: rows map positionally)."""

    siret: str
    siren: str
    denomination: str
    enseigne: str | None
    street_number: str | None
    street_type: str | None
    street_name: str | None
    address_complement: str | None
    postcode: str | None
    city: str | None
    country: str
    active: bool
    is_public: bool
    categorie_juridique: str | None

    @property
    def address(self) -> str:
        return " ".join(part for part in (self.street_number, self.street_type, self.street_name) if part)

    @property
    def label(self) -> str:
        return f"{self.denomination} — {self.enseigne}" if self.enseigne else self.denomination

    def to_dict(self) -> dict:
        """As the API and the screens show it: the street on one line, and a label."""
        return {"siret": self.siret, "siren": self.siren, "denomination": self.denomination, "enseigne": self.enseigne,
                "address": self.address, "address_complement": self.address_complement, "postcode": self.postcode,
                "city": self.city, "country": self.country, "active": self.active, "is_public": self.is_public,
                "categorie_juridique": self.categorie_juridique, "label": self.label}


_FIELDS = [getattr(EstablishmentTable, name) for name in Establishment.__struct_fields__]


# Search ----------------------------------------------------------------------------------------

def search_sql(parsed: rules.ParsedQuery, *, public_only: bool, include_closed: bool, limit: int) -> tuple[str, list]:
    """The one query for what was typed (shared by `search` and the benchmark's raw baseline)."""
    filters = ""
    if public_only:
        filters += " AND e.is_public"
    if not include_closed:
        filters += " AND e.active"
    if parsed.kind in (QueryKind.SIRET, QueryKind.SIREN):
        return (f"SELECT {COLUMNS} FROM establishment e WHERE e.siret LIKE $1{filters} ORDER BY e.siret LIMIT $2",
                [parsed.digits + "%", limit])
    words = sorted(parsed.words, key=len, reverse=True)
    driving = words[0][: rules.MAX_PREFIX]
    params: list = [driving]
    joins, checks = [], []
    for word in words:
        if word[: rules.MAX_PREFIX] != driving and len(word) > rules.SHORT_PREFIX:
            # Another indexed prefix: a merge on (rank, id) with the driving prefix's rows, both in order.
            params.append(word[: rules.MAX_PREFIX])
            alias = f"q{len(joins)}"
            joins.append(f"JOIN establishment_prefix {alias} ON {alias}.prefix = ${len(params)} "
                         f"AND {alias}.rank = p.rank AND {alias}.establishment_id = p.establishment_id")
        if len(word) > rules.MAX_PREFIX or (word[: rules.MAX_PREFIX] != driving and len(word) <= rules.SHORT_PREFIX):
            # Short words are not fully indexed, long ones only by their first letters: check the name.
            checks.append(f"% {word}%")
    check_sql = ""
    if checks:
        params.append(checks)
        check_sql = f" AND (' ' || e.name_norm) LIKE ALL(${len(params)}::text[])"
    params.append(limit)
    return (f"""SELECT {', '.join('e.' + c.strip() for c in COLUMNS.split(','))}
                FROM establishment_prefix p {' '.join(joins)} JOIN establishment e ON e.id = p.establishment_id
                WHERE p.prefix = $1{check_sql}{filters}
                ORDER BY p.rank, p.establishment_id LIMIT ${len(params)}""", params)


async def search(parsed: rules.ParsedQuery, *, public_only: bool, include_closed: bool, limit: int) -> list[Establishment]:
    sql, params = search_sql(parsed, public_only=public_only, include_closed=include_closed, limit=limit)
    # Raw asyncpg, not Table.raw: one call per keystroke, benchmarked against this very statement (the
    # query path must stay within 1.5x of it); no template compiling, rows map straight onto the struct.
    async with connection() as conn:
        rows = await conn.fetch(sql, *params)
    return [Establishment(*row) for row in rows]


async def establishment(siret: str) -> Establishment | None:
    rows = await EstablishmentTable.select(*_FIELDS).where(EstablishmentTable.siret == siret)
    return Establishment(**rows[0]) if rows else None


async def advanced_search(*, name_words: list[str], postcode: str, city_words: list[str], kind: str,
                          after: tuple[str, str] | None, limit: int) -> list[Establishment]:
    """Name words, postcode prefix, city words, public/private; keyset pagination on (name_norm, siret)."""
    conditions, params = ["TRUE"], []
    for word in name_words:
        params.append(f"% {word}%")
        conditions.append("(' ' || name_norm) LIKE {}")
    if postcode:
        params.append(postcode + "%")
        conditions.append("postcode LIKE {}")
    for word in city_words:
        params.append(f"% {word}%")
        conditions.append("(' ' || lower(city)) LIKE {}")
    if kind in ("public", "private"):
        conditions.append("is_public" if kind == "public" else "NOT is_public")
    if after:
        params += list(after)
        conditions.append("(name_norm, siret) > ({}, {})")
    params.append(limit)
    # Raw: a keyset page (row comparison) with LIKE on expressions, which the builder cannot say.
    rows = await EstablishmentTable.raw(
        f"SELECT {COLUMNS} FROM establishment WHERE {' AND '.join(conditions)} ORDER BY name_norm, siret LIMIT {{}}",
        *params)
    return [Establishment(**row) for row in rows]


# Loading the register --------------------------------------------------------------------------

async def load_records(records: list[tuple]) -> list[int]:
    """Merge a batch of records (RECORD_COLUMNS' order) into the register; returns the ids written."""
    # COPY into a staging table, then one upsert: asyncpg's COPY (the builder has none) is what keeps a
    # stock import of millions of lines to minutes. The staging rows live until commit: one transaction.
    async with transaction(), connection() as conn:
        await conn.execute("CREATE TEMP TABLE IF NOT EXISTS establishment_stage (LIKE establishment INCLUDING DEFAULTS) "
                           "ON COMMIT DELETE ROWS")
        await conn.copy_records_to_table("establishment_stage", records=records, columns=RECORD_COLUMNS)
        cols = ", ".join(RECORD_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in RECORD_COLUMNS if c != "siret")
        rows = await conn.fetch(
            f"INSERT INTO establishment ({cols}) SELECT DISTINCT ON (siret) {cols} FROM establishment_stage "
            f"ON CONFLICT (siret) DO UPDATE SET {updates} RETURNING id")
    return [r["id"] for r in rows]


async def has_establishment(siret: str) -> bool:
    return await EstablishmentTable.exists().where(EstablishmentTable.siret == siret)


async def analyze() -> None:
    """Fresh planner statistics after a bulk load."""
    await EstablishmentTable.raw("ANALYZE establishment")
    await EstablishmentTable.raw("ANALYZE establishment_prefix")


# Import progress -------------------------------------------------------------------------------

async def start_import(source: str) -> int:
    """Register a stock file's import (once); returns how many of its lines are done already."""
    rows = await DirectoryImport.insert(DirectoryImport(source=source)).on_conflict(
        target=DirectoryImport.source, action="DO UPDATE", values=[DirectoryImport.source]).returning(DirectoryImport.lines_done)
    return rows[0]["lines_done"]


async def record_import_progress(source: str, lines_done: int) -> None:
    await DirectoryImport.update({DirectoryImport.lines_done: lines_done}).where(DirectoryImport.source == source)


async def finish_import(source: str) -> None:
    await DirectoryImport.update({DirectoryImport.finished: True}).where(DirectoryImport.source == source)


# Prefix index ----------------------------------------------------------------------------------

# Set-returning functions (unnest, generate_series) and window functions: raw SQL throughout.
_PREFIX_ROWS = """
    SELECT DISTINCT left(w, n) AS prefix, e.rank, e.id
    FROM establishment e, unnest(string_to_array(e.name_norm, ' ')) AS w, generate_series(1, least(length(w), {max_prefix})) AS n
    WHERE w <> '' {where}
"""


async def rebuild_prefixes(ids: list[int] | None = None) -> None:
    """Write the prefix rows of the given establishments (all when None), then trim the short prefixes."""
    rows = _PREFIX_ROWS.format(max_prefix=rules.MAX_PREFIX, where="AND e.id = ANY($1::int[])" if ids is not None else "")
    async with transaction(), connection() as conn:
        if ids is not None:
            await conn.execute("DELETE FROM establishment_prefix WHERE establishment_id = ANY($1::int[])", ids)
            await conn.execute(f"INSERT INTO establishment_prefix (prefix, rank, establishment_id) "
                               f"SELECT prefix, rank, id FROM ({rows}) x ON CONFLICT DO NOTHING", ids)
            await _trim_short_prefixes(conn)
            return
        # A full rebuild writes millions of rows: load them without indexes, short prefixes already
        # trimmed, then build the indexes once (much faster than maintaining them row by row).
        await conn.execute("TRUNCATE establishment_prefix")
        await conn.execute("ALTER TABLE establishment_prefix DROP CONSTRAINT IF EXISTS establishment_prefix_key")
        await conn.execute("DROP INDEX IF EXISTS establishment_prefix_establishment_id")
        await conn.execute("SET LOCAL work_mem = '256MB'")
        await conn.execute(f"""
            INSERT INTO establishment_prefix (prefix, rank, establishment_id)
            SELECT prefix, rank, id FROM (
                SELECT prefix, rank, id,
                       CASE WHEN length(prefix) <= {rules.SHORT_PREFIX}
                            THEN row_number() OVER (PARTITION BY prefix ORDER BY rank, id) END AS position
                FROM ({rows}) all_rows) x
            WHERE position IS NULL OR position <= {rules.SHORT_PREFIX_KEEP}""")
        # The same key and index as migrations/directory and the table class (the schema-drift test compares them).
        await conn.execute("ALTER TABLE establishment_prefix ADD CONSTRAINT establishment_prefix_key "
                           "UNIQUE (prefix, rank, establishment_id)")
        await conn.execute("CREATE INDEX establishment_prefix_establishment_id ON establishment_prefix (establishment_id)")


async def _trim_short_prefixes(conn) -> None:
    """One- and two-letter prefixes match most of the register: keep only their best-ranked rows."""
    await conn.execute(f"""
        DELETE FROM establishment_prefix p USING (
            SELECT prefix, rank, establishment_id FROM (
                SELECT prefix, rank, establishment_id,
                       row_number() OVER (PARTITION BY prefix ORDER BY rank, establishment_id) AS position
                FROM establishment_prefix WHERE length(prefix) <= {rules.SHORT_PREFIX}) ranked
            WHERE position > {rules.SHORT_PREFIX_KEEP}) extra
        WHERE p.prefix = extra.prefix AND p.rank = extra.rank AND p.establishment_id = extra.establishment_id""")
