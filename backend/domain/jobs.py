"""Every slice's ARQ jobs, for the worker."""

from backend.domain.system.jobs import JOBS as SYSTEM_JOBS

JOBS: list = [*SYSTEM_JOBS]
CRON_JOBS: list = []
