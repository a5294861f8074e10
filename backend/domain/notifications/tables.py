from piccolo.columns import BigInt, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class MailOutbox(Table, tablename="mail_outbox"):
    """E-mails to send, written in the same transaction as what caused them; a worker job sends them."""

    to_address = Varchar(length=254)
    subject = Varchar(length=300)
    body_text = Text()
    body_html = Text(null=True)
    kind = Varchar(length=40)
    user_id = BigInt(null=True)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    last_error = Text(null=True, default=None)
