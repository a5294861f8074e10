from piccolo.columns import BigInt, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class Impersonation(Table, tablename="impersonation"):
    """A support agent acting as a user, for a reason, for a limited time."""

    support_user_id = BigInt()
    target_user_id = BigInt()
    reason = Text()
    started_at = Timestamptz()
    expires_at = Timestamptz()
    ended_at = Timestamptz(null=True)
    actions_enabled_at = Timestamptz(null=True)
    client_ip = Text(null=True)


class SupportJournal(Table, tablename="support_journal"):
    """Append-only: every impersonation step and every request made while impersonating."""

    at = Timestamptz()
    support_user_id = BigInt()
    target_user_id = BigInt(null=True)
    impersonation_id = BigInt(null=True)
    event = Varchar(length=30)
    method = Varchar(length=10, null=True)
    path = Text(null=True)
    status_code = Integer(null=True)
    client_ip = Text(null=True)
    detail = Text(null=True)
