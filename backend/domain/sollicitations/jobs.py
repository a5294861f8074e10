"""ARQ jobs of the sollicitations slice: the clean-up of attachments never sent."""

from __future__ import annotations

from arq import cron

from backend.domain.sollicitations.services import delete_unsent_files


async def cleanup_sollicitation_files(ctx: dict | None = None) -> int:
    return await delete_unsent_files()


JOBS: list = [cleanup_sollicitation_files]
CRON_JOBS: list = [cron(cleanup_sollicitation_files, minute={12, 42}, run_at_startup=False, unique=True)]
