from piccolo.conf.apps import AppConfig

from backend.domain.structures.tables import Attachment, Profile, Service, Structure, Workspace
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="structures",
    migrations_folder_path=str(ROOT / "migrations" / "structures"),
    table_classes=[Structure, Service, Attachment, Profile, Workspace],
    migration_dependencies=["backend.domain.accounts.piccolo_app"],
)
