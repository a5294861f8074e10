"""ARQ jobs of the structures slice: the sweep of the pièces-jointes' stray files."""

from __future__ import annotations

from arq import cron

from backend.domain.structures import store
from backend.domain.structures.structure_files import AREA
from backend.infra import storage


async def cleanup_structure_files(ctx: dict | None = None) -> int:
    """Files stored for a pièce-jointe whose row never committed (the app stopped in between), and those
    of a deleted structure (its rows went with it)."""
    return await storage.sweep_stray(AREA, store.held_file_keys)


CRON_JOBS: list = [cron(cleanup_structure_files, minute={37}, run_at_startup=False, unique=True)]
