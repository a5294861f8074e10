"""Every slice's controllers, in one list for create_app()."""

from backend.domain.accounts.controllers import AuthController
from backend.domain.accounts.signup_controllers import MailboxController, SignupController
from backend.domain.connections.controllers import ConnectionController
from backend.domain.connections.piste_controllers import PISTE_CONTROLLERS
from backend.domain.dashboard.controllers import DashboardController
from backend.domain.directory.controllers import DirectoryController
from backend.domain.invoices.controllers import InvoiceController, LookupController
from backend.domain.invoices.manual_controllers import ManualInvoiceController
from backend.domain.lots.controllers import FileValidationController, FrenchRulesController, LotController
from backend.domain.processing.controllers import HolderQueueController, ProcessingController, WorksQueueController
from backend.domain.sollicitations.controllers import SollicitationController, SupportSollicitationController
from backend.domain.structures.controllers import (MandateController, MyStructuresController, OrganisationController,
                                                   StructureFilesController, StructureManagementController)
from backend.domain.support.controllers import SupportController
from backend.domain.system.controllers import SystemController

ROUTE_HANDLERS: list = [
    SystemController, AuthController, SignupController, MailboxController, DirectoryController,
    InvoiceController, LookupController, DashboardController, SupportController, ManualInvoiceController, MandateController, MyStructuresController,
    ProcessingController, HolderQueueController, WorksQueueController, LotController, FileValidationController,
    SollicitationController, SupportSollicitationController, OrganisationController, StructureManagementController, StructureFilesController,
    ConnectionController, *PISTE_CONTROLLERS,
    FrenchRulesController,
]
