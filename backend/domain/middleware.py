"""ASGI middleware from the slices (identity first), applied to API routes and the ReactPy socket alike."""

MIDDLEWARE: list = []
