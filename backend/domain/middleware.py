"""ASGI middleware from the slices (identity first), applied to API routes and the ReactPy socket alike."""

from backend.domain.accounts.middleware import identity_middleware

from backend.domain.support.middleware import impersonation_journal_middleware

# Identity first (outermost): the journal needs to know who is acting.
MIDDLEWARE: list = [identity_middleware, impersonation_journal_middleware]
