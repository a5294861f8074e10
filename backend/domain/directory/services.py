"""Directory use cases: search as the user types, look one up, load the stock file, keep prefixes."""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain.directory import rules
from backend.domain.directory.rules import QueryKind
from backend.infra.database import connection

COLUMNS = ("siret, siren, denomination, enseigne, street_number, street_type, street_name, address_complement, "
           "postcode, city, country, active, is_public, categorie_juridique")


@dataclass(frozen=True)
class EstablishmentSummary:
    siret: str
    siren: str
    denomination: str
    enseigne: str | None
    address: str
    address_complement: str | None
    postcode: str | None
    city: str | None
    country: str
    active: bool
    is_public: bool
    categorie_juridique: str | None

    @property
    def label(self) -> str:
        return f"{self.denomination} — {self.enseigne}" if self.enseigne else self.denomination

    def to_dict(self) -> dict:
        # Not dataclasses.asdict: it deep-copies every field, a tenth of a keystroke's time for ten results.
        return {**self.__dict__, "label": self.label}


@dataclass(frozen=True)
class SearchResult:
    query_kind: str
    items: list[EstablishmentSummary]
    invalid_siret: bool = False

    def to_dict(self) -> dict:
        return {"kind": self.query_kind, "invalid_siret": self.invalid_siret, "items": [i.to_dict() for i in self.items]}


def _summary(row) -> EstablishmentSummary:
    address = " ".join(part for part in (row["street_number"], row["street_type"], row["street_name"]) if part)
    return EstablishmentSummary(
        siret=row["siret"], siren=row["siren"], denomination=row["denomination"], enseigne=row["enseigne"],
        address=address, address_complement=row["address_complement"], postcode=row["postcode"], city=row["city"],
        country=row["country"], active=row["active"], is_public=row["is_public"],
        categorie_juridique=row["categorie_juridique"])


def search_sql(parsed: rules.ParsedQuery, *, public_only: bool, include_closed: bool, limit: int) -> tuple[str, list]:
    """The one query for what was typed (shared by the service and the benchmark's raw baseline)."""
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


async def search(query: str, *, limit: int = 10, public_only: bool = False, include_closed: bool = True) -> SearchResult:
    parsed = rules.parse_query(query)
    limit = max(1, min(limit, rules.MAX_LIMIT))
    if parsed.kind == QueryKind.EMPTY:
        return SearchResult(query_kind=parsed.kind, items=[])
    sql, params = search_sql(parsed, public_only=public_only, include_closed=include_closed, limit=limit)
    async with connection() as conn:
        rows = await conn.fetch(sql, *params)
    return SearchResult(query_kind=parsed.kind, items=[_summary(r) for r in rows], invalid_siret=parsed.full_siret_invalid)


async def get_establishment(siret: str) -> EstablishmentSummary | None:
    async with connection() as conn:
        row = await conn.fetchrow(f"SELECT {COLUMNS} FROM establishment WHERE siret = $1", siret)
    return _summary(row) if row else None


async def advanced_search(*, name: str = "", postcode: str = "", city: str = "", kind: str = "",
                          after: str | None = None, limit: int = 20) -> list[EstablishmentSummary]:
    """Name words, postcode prefix, city words, public/private; keyset pagination on (name_norm, siret)."""
    conditions, params = ["TRUE"], []
    for word in rules.words(name):
        params.append(f"% {word}%")
        conditions.append(f"(' ' || name_norm) LIKE ${len(params)}")
    if postcode.strip():
        params.append(postcode.strip() + "%")
        conditions.append(f"postcode LIKE ${len(params)}")
    for word in rules.words(city):
        params.append(f"% {word}%")
        conditions.append(f"(' ' || lower(city)) LIKE ${len(params)}")
    if kind in ("public", "private"):
        conditions.append("is_public" if kind == "public" else "NOT is_public")
    if after:
        name_after, _, siret_after = after.partition("|")
        params += [name_after, siret_after]
        conditions.append(f"(name_norm, siret) > (${len(params) - 1}, ${len(params)})")
    params.append(max(1, min(limit, 100)))
    sql = (f"SELECT {COLUMNS}, name_norm FROM establishment WHERE {' AND '.join(conditions)} "
           f"ORDER BY name_norm, siret LIMIT ${len(params)}")
    async with connection() as conn:
        rows = await conn.fetch(sql, *params)
    return [_summary(r) for r in rows]


# Prefix maintenance -----------------------------------------------------------------------------

_PREFIX_ROWS = """
    SELECT DISTINCT left(w, n) AS prefix, e.rank, e.id
    FROM establishment e, unnest(string_to_array(e.name_norm, ' ')) AS w, generate_series(1, least(length(w), {max_prefix})) AS n
    WHERE w <> '' {where}
"""


async def rebuild_prefixes(conn, ids: list[int] | None = None) -> None:
    """Write the prefix rows of the given establishments (all when None), then trim the short prefixes."""
    rows = _PREFIX_ROWS.format(max_prefix=rules.MAX_PREFIX, where="AND e.id = ANY($1::int[])" if ids is not None else "")
    if ids is not None:
        await conn.execute("DELETE FROM establishment_prefix WHERE establishment_id = ANY($1::int[])", ids)
        await conn.execute(f"INSERT INTO establishment_prefix (prefix, rank, establishment_id) "
                           f"SELECT prefix, rank, id FROM ({rows}) x ON CONFLICT DO NOTHING", ids)
        await trim_short_prefixes(conn)
        return
    # A full rebuild writes millions of rows: load them without indexes, short prefixes already
    # trimmed, then build the indexes once (much faster than maintaining them row by row).
    await conn.execute("TRUNCATE establishment_prefix")
    await conn.execute("ALTER TABLE establishment_prefix DROP CONSTRAINT IF EXISTS establishment_prefix_pkey")
    await conn.execute("DROP INDEX IF EXISTS establishment_prefix_owner")
    await conn.execute("SET LOCAL work_mem = '256MB'")
    await conn.execute(f"""
        INSERT INTO establishment_prefix (prefix, rank, establishment_id)
        SELECT prefix, rank, id FROM (
            SELECT prefix, rank, id,
                   CASE WHEN length(prefix) <= {rules.SHORT_PREFIX}
                        THEN row_number() OVER (PARTITION BY prefix ORDER BY rank, id) END AS position
            FROM ({rows}) all_rows) x
        WHERE position IS NULL OR position <= {rules.SHORT_PREFIX_KEEP}""")
    await conn.execute("ALTER TABLE establishment_prefix ADD PRIMARY KEY (prefix, rank, establishment_id)")
    await conn.execute("CREATE INDEX establishment_prefix_owner ON establishment_prefix (establishment_id)")


async def trim_short_prefixes(conn) -> None:
    """One- and two-letter prefixes match most of the register: keep only their best-ranked rows."""
    await conn.execute(f"""
        DELETE FROM establishment_prefix p USING (
            SELECT prefix, rank, establishment_id FROM (
                SELECT prefix, rank, establishment_id,
                       row_number() OVER (PARTITION BY prefix ORDER BY rank, establishment_id) AS position
                FROM establishment_prefix WHERE length(prefix) <= {rules.SHORT_PREFIX}) ranked
            WHERE position > {rules.SHORT_PREFIX_KEEP}) extra
        WHERE p.prefix = extra.prefix AND p.rank = extra.rank AND p.establishment_id = extra.establishment_id""")
