"""ASGI middleware from the slices (identity first), applied to API routes and the ReactPy socket alike."""

from backend.domain.accounts.middleware import identity_middleware

MIDDLEWARE: list = [identity_middleware]
