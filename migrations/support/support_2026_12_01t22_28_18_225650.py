from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T22:28:18:225650"
VERSION = "1.38.0"
DESCRIPTION = "impersonation.sollicitation_id: the request an intervention was started from"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="support", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Impersonation",
        tablename="impersonation",
        column_name="sollicitation_id",
        db_column_name="sollicitation_id",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
