"""SQL lives in stores (backend/domain/<slice>/store.py, backend/domain/invoices/store/), infrastructure
(backend/infra/) and migrations: nowhere else in backend/ or frontend/.

SQL is an asyncpg call (fetch, fetchrow, fetchval, execute, executemany, copy_*), a Piccolo `.raw(`, or a
string literal holding a statement (SELECT … FROM, INSERT INTO, UPDATE … SET, DELETE FROM); docstrings
and comments do not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SQL_CALLS = {"fetch", "fetchrow", "fetchval", "execute", "executemany", "copy_records_to_table", "copy_to_table",
             "copy_from_table", "copy_from_query", "raw"}
SQL_TEXT = re.compile(r"\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b")

# Files outside stores that may still hold SQL: none since issue 13. Keep it empty: new SQL goes into the
# slice's store (a file listed here without SQL fails the test too).
KNOWN: set[str] = set()


def allowed(path: str) -> bool:
    parts = path.split("/")
    return (path.startswith("backend/infra/")
            or (len(parts) == 4 and parts[:2] == ["backend", "domain"] and parts[3] == "store.py")
            or path.startswith("backend/domain/invoices/store/"))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_in(source: str) -> list[str]:
    """Where `source` holds SQL: 'line N: what'."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found, parts_of_fstrings = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            found.append(f"line {node.lineno}: .{node.func.attr}(")
            continue
        if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts, placeholders as {}
            parts_of_fstrings |= {id(value) for value in node.values}
            text = "".join(value.value if isinstance(value, ast.Constant) else "{}" for value in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings or id(node) in parts_of_fstrings:
                continue
            text = node.value
        else:
            continue
        if match := SQL_TEXT.search(text):
            found.append(f"line {node.lineno}: {' '.join(match.group(0).split())[:40]!r}")
    return sorted(set(found), key=lambda line: int(line.split(":")[0].split()[1]))


def files_with_sql() -> dict[str, list[str]]:
    result = {}
    for folder in ("backend", "frontend"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not allowed(relative) and (found := sql_in(path.read_text(encoding="utf-8"))):
                result[relative] = found
    return result


def test_no_sql_outside_stores_infrastructure_and_migrations():
    found = files_with_sql()
    new = {path: where for path, where in found.items() if path not in KNOWN}
    assert new == {}, "SQL outside a store: move it to the slice's store\n" + "\n".join(
        f"{path}: {', '.join(where)}" for path, where in new.items())


def test_known_files_still_have_sql_so_the_list_only_shrinks():
    assert sorted(KNOWN - set(files_with_sql())) == [], "no SQL left there: remove them from KNOWN"


def test_known_files_exist_and_are_not_allowed_anyway():
    assert [path for path in sorted(KNOWN) if allowed(path) or not (ROOT / path).exists()] == []


def test_the_detector_finds_sql():
    sample = '''
async def load(conn, invoice_id, columns):
    row = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
    await Invoice.raw("SELECT 1")
    query = """
        UPDATE invoice
        SET status = $1 WHERE id = $2"""
    sql = "INSERT INTO lot (number) VALUES ($1)"
    other = f"SELECT {columns} FROM invoice"
    last = f"DELETE FROM {table} WHERE id = $1"
'''
    assert sorted(sql_in(sample)) == sorted([
        "line 3: .fetchrow(", "line 3: 'SELECT * FROM'", "line 4: .raw(", "line 5: 'UPDATE invoice SET'",
        "line 8: 'INSERT INTO'", "line 9: 'SELECT {} FROM'", "line 10: 'DELETE FROM'"])


def test_the_detector_finds_none_in_ordinary_code():
    sample = '''
def ordinary(items, labels):
    """SELECT * FROM invoice, in a docstring, is documentation."""
    # DELETE FROM invoice, in a comment
    rows = Invoice.select(Invoice.id).where(Invoice.status == "DEPOSEE")
    labels.update({"fr": "Sélectionnez une structure"})
    message = "Select a structure from the list, then update its settings"
    return [item for item in items if item.insert_into]
'''
    assert sql_in(sample) == []
