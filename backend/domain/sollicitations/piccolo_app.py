from piccolo.conf.apps import AppConfig

from backend.domain.sollicitations.tables import Sollicitation, SollicitationFile, SollicitationMessage
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="sollicitations",
    migrations_folder_path=str(ROOT / "migrations" / "sollicitations"),
    table_classes=[Sollicitation, SollicitationMessage, SollicitationFile],
    migration_dependencies=["backend.domain.accounts.piccolo_app", "backend.domain.structures.piccolo_app"],
)
