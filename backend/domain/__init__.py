"""Domain slices. Each slice with tables registers its Piccolo app here, in dependency order."""

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
]
