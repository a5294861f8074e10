"""Every slice's ARQ jobs, for the worker."""

from backend.domain.connections.jobs import JOBS as CONNECTION_JOBS
from backend.domain.connections.jobs import ON_SHUTDOWN as CONNECTION_SHUTDOWN
from backend.domain.connections.jobs import ON_STARTUP as CONNECTION_STARTUP
from backend.domain.dashboard.jobs import CRON_JOBS as DASHBOARD_CRONS
from backend.domain.dashboard.jobs import JOBS as DASHBOARD_JOBS
from backend.domain.invoices.jobs import CRON_JOBS as INVOICE_CRONS
from backend.domain.invoices.jobs import JOBS as INVOICE_JOBS
from backend.domain.invoices import rules as invoice_rules
from backend.domain.invoices.routing import on_available, on_refusal
from backend.domain.lots.jobs import CRON_JOBS as LOT_CRONS
from backend.domain.lots.jobs import JOBS as LOT_JOBS
from backend.domain.notifications.jobs import CRON_JOBS as NOTIFICATION_CRONS
from backend.domain.notifications.jobs import JOBS as NOTIFICATION_JOBS
from backend.domain.processing.jobs import CRON_JOBS as PROCESSING_CRONS
from backend.domain.processing.jobs import JOBS as PROCESSING_JOBS
from backend.domain.notifications.services import wake_sender
from backend.domain.processing import store as processing_store
from backend.domain.processing.services import notify_supplier
from backend.domain.sollicitations.jobs import CRON_JOBS as SOLLICITATION_CRONS
from backend.domain.sollicitations.jobs import JOBS as SOLLICITATION_JOBS
from backend.domain.structures import organisation
from backend.domain.structures.jobs import CRON_JOBS as STRUCTURE_CRONS
from backend.domain.system.jobs import CRON_JOBS as SYSTEM_CRONS
from backend.domain.system.jobs import JOBS as SYSTEM_JOBS
from backend.domain.system.jobs import ON_SHUTDOWN as SYSTEM_SHUTDOWN
from backend.domain.system.jobs import ON_STARTUP as SYSTEM_STARTUP
from backend.infra.database import transaction
from backend.infra.events import publish

JOBS: list = [*SYSTEM_JOBS, *NOTIFICATION_JOBS, *INVOICE_JOBS, *DASHBOARD_JOBS, *PROCESSING_JOBS, *LOT_JOBS, *SOLLICITATION_JOBS,
              *CONNECTION_JOBS]
CRON_JOBS: list = [*NOTIFICATION_CRONS, *INVOICE_CRONS, *DASHBOARD_CRONS, *PROCESSING_CRONS, *LOT_CRONS, *SOLLICITATION_CRONS,
                   *STRUCTURE_CRONS, *SYSTEM_CRONS]

# Run when a worker starts and stops (after its database pool opens, before it closes).
ON_STARTUP: list = [*SYSTEM_STARTUP, *CONNECTION_STARTUP]
ON_SHUTDOWN: list = [*CONNECTION_SHUTDOWN, *SYSTEM_SHUTDOWN]


@on_refusal
async def _notify_refusal(invoice, action, reason) -> None:
    """The supplier hears of a refusal by the routing job (invoices may not import processing)."""
    await notify_supplier(invoice.as_dict(), action, reason)


@on_available
async def _validator_workspace(invoice) -> None:
    """An invoice now waits for a validator (titulaire, maître d'œuvre): if that structure's gestionnaire
    has not switched the workspace on, the bell and a mail say so, with a link that switches it on."""
    for validator in invoice_rules.VALIDATORS:
        structure_id = getattr(invoice, validator.column)
        if invoice.status != validator.waiting or not structure_id:
            continue
        async with transaction():
            told = await organisation.validation_waiting(structure_id, str(validator.application), invoice.number)
            for user_id, message in told:
                await processing_store.add([user_id], invoice_id=invoice.id, kind="espace_a_activer", message=message)
        if told:
            await publish("notification.new", [f"user:{u}" for u, _ in told], {"invoice": invoice.id})
            await wake_sender()
