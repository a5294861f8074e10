from piccolo.columns import JSONB, BigInt, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class InvoiceExport(Table, tablename="invoice_export"):
    """An export of a list or search, written by a worker job, downloadable by the user who asked."""

    user_id = BigInt()
    params = JSONB(help_text="The list filter, as in the URL")
    format = Varchar(length=4, help_text="xlsx | csv")
    status = Varchar(length=12, help_text="en_attente | en_cours | pret | erreur")
    rows = Integer(default=0)
    path = Text(null=True)
    error = Text(null=True)
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True)
