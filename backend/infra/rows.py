"""What stores share about typed rows."""

from __future__ import annotations

from collections.abc import Iterable

from piccolo.columns import Column
from piccolo.table import Table


def columns_of(table: type[Table], names: Iterable[str]) -> tuple[Column, ...]:
    """The table's columns named like a row type's fields, to select exactly what the row holds."""
    return tuple(table._meta.get_column_by_name(name) for name in names)
