"""Every slice's ARQ jobs, for the worker."""

from backend.domain.notifications.jobs import CRON_JOBS as NOTIFICATION_CRONS
from backend.domain.notifications.jobs import JOBS as NOTIFICATION_JOBS
from backend.domain.system.jobs import JOBS as SYSTEM_JOBS

JOBS: list = [*SYSTEM_JOBS, *NOTIFICATION_JOBS]
CRON_JOBS: list = [*NOTIFICATION_CRONS]

from backend.domain.invoices.jobs import CRON_JOBS as INVOICE_CRONS  # noqa: E402
from backend.domain.invoices.jobs import JOBS as INVOICE_JOBS  # noqa: E402

JOBS += INVOICE_JOBS
CRON_JOBS += INVOICE_CRONS

from backend.domain.dashboard.jobs import CRON_JOBS as DASHBOARD_CRONS  # noqa: E402
from backend.domain.dashboard.jobs import JOBS as DASHBOARD_JOBS  # noqa: E402

JOBS += DASHBOARD_JOBS
CRON_JOBS += DASHBOARD_CRONS

from backend.domain.processing.jobs import CRON_JOBS as PROCESSING_CRONS  # noqa: E402
from backend.domain.processing.jobs import JOBS as PROCESSING_JOBS  # noqa: E402

JOBS += PROCESSING_JOBS
CRON_JOBS += PROCESSING_CRONS

from backend.domain.lots.jobs import CRON_JOBS as LOT_CRONS  # noqa: E402
from backend.domain.lots.jobs import JOBS as LOT_JOBS  # noqa: E402

JOBS += LOT_JOBS
CRON_JOBS += LOT_CRONS
