"""Domain slices. Each slice with tables registers its Piccolo app here; each app declares the apps its
migrations depend on (its tables' foreign keys), so the order of this list does not matter."""

PICCOLO_APPS: list[str] = [
    "backend.domain.directory.piccolo_app",
    "backend.domain.accounts.piccolo_app",
    "backend.domain.structures.piccolo_app",
    "backend.domain.notifications.piccolo_app",
    "backend.domain.support.piccolo_app",
    "backend.domain.invoices.piccolo_app",
    "backend.domain.dashboard.piccolo_app",
    "backend.domain.processing.piccolo_app",
    "backend.domain.lots.piccolo_app",
    "backend.domain.sollicitations.piccolo_app",
    "backend.domain.connections.piccolo_app",
    "backend.domain.system.piccolo_app",
]
