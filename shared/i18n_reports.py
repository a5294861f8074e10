"""Interface texts of validation reports (a lot's integration report, « Valider un fichier »)."""

from shared.i18n import register

register({
    "report.field": ("Champ : {field}", "Field: {field}"),
    "report.line": ("{path} (ligne {line})", "{path} (line {line})"),
    "report.found": ("trouvé « {value} »", "found « {value} »"),
    "report.expected": ("attendu « {value} »", "expected « {value} »"),
    "report.hint": ("Correction : {hint}", "Fix: {hint}"),
    "report.warning": ("Avertissement", "Warning"),
    "report.previous_attempt": ("Correction de « {name} », rejetée dans le lot", "Correction of « {name} », rejected in lot"),
    "validate_file.title": ("Valider un fichier", "Validate a file"),
    "validate_file.intro": ("Déposez une facture XML (UBL, CII) ou un PDF Factur-X : vous obtenez le même compte rendu qu'au dépôt "
                            "(schéma XSD, norme EN 16931, règles françaises de la réforme), sans rien déposer ni conserver. "
                            "Aucun compte n'est nécessaire.",
                            "Drop an XML invoice (UBL, CII) or a Factur-X PDF: you get the same report as a deposit (XSD schema, "
                            "EN 16931, French reform rules), without depositing or keeping anything. No account needed."),
    "validate_file.file": ("Fichier à valider (XML ou PDF)", "File to validate (XML or PDF)"),
    "validate_file.accepted": ("Fichier conforme : il serait accepté au dépôt.", "Conforming file: a deposit would accept it."),
    "validate_file.refused": ("Fichier non conforme : il serait refusé au dépôt.", "Non-conforming file: a deposit would refuse it."),
    "validate_file.profile": ("Profil Factur-X du XML : {profile}", "Factur-X profile of the XML: {profile}"),
    "validate_file.profile_xmp": (" (XMP du PDF : {profile})", " (PDF's XMP: {profile})"),
    "validate_file.layer.xsd": ("Schéma XSD de la syntaxe", "Syntax XSD schema"),
    "validate_file.layer.en16931": ("Norme EN 16931", "EN 16931 standard"),
    "validate_file.layer.fr": ("Règles françaises de la réforme (BR-FR)", "French reform rules (BR-FR)"),
    "validate_file.status.conforme": ("conforme", "conforming"),
    "validate_file.status.non_conforme": ("non conforme", "not conforming"),
    "validate_file.status.impossible": ("validation impossible", "validation impossible"),
    "validate_file.status.non_applicable": ("non applicable à ce profil", "not applicable to this profile"),
    "validate_file.warnings_only": ("Avertissements : ces règles ne bloquent pas le dépôt, sauf pour une structure qui l'a demandé.",
                                    "Warnings: these rules do not block a deposit, except for a structure that asked so."),
    "anomaly.validation_impossible": (
        "Validation impossible : les règles officielles n'ont pas pu être appliquées à ce fichier ({reason}). "
        "Une valeur n'a pas la forme attendue (par exemple un montant écrit avec une virgule) : "
        "corrigez-la puis déposez le fichier corrigé.",
        "Validation impossible: the official rules could not be applied to this file ({reason}). "
        "A value is not in the expected form (e.g. an amount written with a comma): correct it, then "
        "deposit the corrected file."),
    "report.count": (" (×{count})", " (×{count})"),
    "report.download_pdf": ("Télécharger le compte rendu (PDF)", "Download the report (PDF)"),
    "report.download_json": ("Télécharger le compte rendu (JSON)", "Download the report (JSON)"),
})
