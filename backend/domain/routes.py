"""Every slice's controllers, in one list for create_app()."""

from backend.domain.accounts.controllers import AuthController
from backend.domain.accounts.signup_controllers import MailboxController, SignupController
from backend.domain.directory.controllers import DirectoryController
from backend.domain.system.controllers import SystemController

ROUTE_HANDLERS: list = [SystemController, AuthController, SignupController, MailboxController, DirectoryController]

from backend.domain.invoices.controllers import InvoiceController  # noqa: E402

ROUTE_HANDLERS.append(InvoiceController)

from backend.domain.dashboard.controllers import DashboardController  # noqa: E402

ROUTE_HANDLERS.append(DashboardController)

from backend.domain.support.controllers import SupportController  # noqa: E402

ROUTE_HANDLERS.append(SupportController)

from backend.domain.invoices.manual_controllers import ManualInvoiceController  # noqa: E402
from backend.domain.structures.controllers import MandateController  # noqa: E402

ROUTE_HANDLERS += [ManualInvoiceController, MandateController]

from backend.domain.processing.controllers import HolderQueueController, ProcessingController, WorksQueueController  # noqa: E402

ROUTE_HANDLERS += [ProcessingController, HolderQueueController, WorksQueueController]

from backend.domain.lots.controllers import LotController  # noqa: E402

ROUTE_HANDLERS.append(LotController)
