from piccolo.conf.apps import AppConfig

from backend.domain.directory.tables import DirectoryImport, Establishment, EstablishmentPrefix
from backend.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="directory",
    migrations_folder_path=str(ROOT / "migrations" / "directory"),
    table_classes=[Establishment, EstablishmentPrefix, DirectoryImport],
    migration_dependencies=[],
)
