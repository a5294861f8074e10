from backend.infra.migrations import sql_migration

ID = "2026-12-02T03:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "« XML mixte »: a third deposit format (XML_MIXTE) and its syntaxes UBL Invoice Min and CII Min"

forwards = sql_migration("lots", ID, DESCRIPTION, """
ALTER TABLE lot DROP CONSTRAINT lot_deposit_format_check;
ALTER TABLE lot ADD CONSTRAINT lot_deposit_format_check
    CHECK (deposit_format IN ('XML_STRUCTURE', 'PDF_FACTURX', 'XML_MIXTE'));
ALTER TABLE lot DROP CONSTRAINT lot_syntax_check;
ALTER TABLE lot ADD CONSTRAINT lot_syntax_check CHECK (syntax IN ('UBL', 'CII', 'FACTURX', 'UBL_MIN', 'CII_MIN'));
""")
