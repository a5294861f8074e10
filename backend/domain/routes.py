"""Every slice's controllers, in one list for create_app()."""

from backend.domain.accounts.controllers import AuthController
from backend.domain.accounts.signup_controllers import MailboxController, SignupController
from backend.domain.directory.controllers import DirectoryController
from backend.domain.system.controllers import SystemController

ROUTE_HANDLERS: list = [SystemController, AuthController, SignupController, MailboxController, DirectoryController]
