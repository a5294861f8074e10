"""Every slice's ARQ jobs, for the worker."""

from backend.domain.notifications.jobs import CRON_JOBS as NOTIFICATION_CRONS
from backend.domain.notifications.jobs import JOBS as NOTIFICATION_JOBS
from backend.domain.system.jobs import JOBS as SYSTEM_JOBS

JOBS: list = [*SYSTEM_JOBS, *NOTIFICATION_JOBS]
CRON_JOBS: list = [*NOTIFICATION_CRONS]
