"""ASGI middleware from the slices (identity first), applied to API routes and the ReactPy socket alike."""

from backend.domain.accounts import ports
from backend.domain.accounts.middleware import identity_middleware
from backend.domain.structures import store as structures_store
from backend.domain.structures.organisation import request_at_signup, requests_to_decide, services_asked, structure_services
from backend.domain.structures.permissions import parse_grants
from backend.domain.support.middleware import impersonation_journal_middleware
from backend.domain.support.services import impersonation_open

# Accounts imports neither structures nor support (they import it): it gets from them here, once, the
# grants to read with the session's user, the check that an impersonation is still open, and the
# structures' rows sign-up and Mon compte write and read, and the sign-up's request to join a registered structure
# (with the services it may ask for, and their check).
ports.configure(ports.Ports(grants_column=structures_store.GRANTS_COLUMN, parse_grants=parse_grants, impersonation_open=impersonation_open,
                            structures=structures_store, request_attachment=request_at_signup,
                            attachment_services=structure_services, check_attachment_services=services_asked,
                            requests_to_decide=requests_to_decide))

# Identity first (outermost): the journal needs to know who is acting.
MIDDLEWARE: list = [identity_middleware, impersonation_journal_middleware]
