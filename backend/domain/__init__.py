"""Domain slices. Each slice with tables registers its Piccolo app here, in dependency order."""

PICCOLO_APPS: list[str] = []
