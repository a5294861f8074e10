from piccolo.columns import BigInt, Text, Timestamptz, Varchar
from piccolo.table import Table


class Notification(Table, tablename="notification"):
    """An in-app notification (the bell), written with the status change that caused it."""

    user_id = BigInt()
    invoice_id = BigInt(null=True)
    kind = Varchar(length=30)
    message = Text()
    created_at = Timestamptz()
    read_at = Timestamptz(null=True)
