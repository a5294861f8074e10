"""Interface texts of the lot screens (« Déposer un lot de factures », « Compte rendu d'intégration »)."""

from shared.i18n import register

register({
    "lots.title": ("Dépôt de factures par lot", "Deposit invoices in a lot"),
    "lots.detail": ("Compte rendu d'intégration", "Integration report"),
    "lots.new": ("Déposer un lot", "Deposit a lot"),
    "lots.rules": ("Regroupez vos factures (UBL, CII ou Factur-X) dans un unique fichier ZIP ou TAR.GZ de 30 Mo au plus "
                   "(500 factures au plus). Chaque facture est contrôlée : les conformes sont créées et envoyées, "
                   "les autres sont listées avec leurs anomalies pour être corrigées et déposées de nouveau.",
                   "Put your invoices (UBL, CII or Factur-X) in one ZIP or TAR.GZ file of at most 30 MB (at most 500 "
                   "invoices). Each invoice is checked: conforming ones are created and sent, the others are listed "
                   "with their anomalies so they can be corrected and deposited again."),
    "lots.format": ("Format de dépôt", "Deposit format"),
    "lots.syntax": ("Syntaxe", "Syntax"),
    "lots.file": ("Choix du fichier à importer (ZIP ou TAR.GZ)", "File to import (ZIP or TAR.GZ)"),
    "lots.file_hint": ("Glissez-déposez l'archive ici ou cliquez pour la choisir.", "Drop the archive here or click to choose it."),
    "lots.confirmed": ("Le lot de factures a été importé correctement sous le numéro [{number}]",
                       "The lot of invoices was imported under number [{number}]"),
    "lots.confirm_title": ("Confirmation d'envoi", "Deposit confirmed"),
    "lots.see_report": ("Voir le compte rendu", "See the report"),
    "lots.close": ("Fermer", "Close"),
    "lots.list": ("Lots déposés", "Deposited lots"),
    "lots.empty": ("Aucun lot déposé pour cette structure.", "No lot deposited for this structure."),
    "lots.col.number": ("Numéro de lot", "Lot number"),
    "lots.col.file": ("Fichier", "File"),
    "lots.col.date": ("Déposé le", "Deposited on"),
    "lots.col.format": ("Format", "Format"),
    "lots.col.status": ("Statut", "Status"),
    "lots.col.result": ("Intégrées / rejetées", "Integrated / rejected"),
    "lots.status.RECU": ("Reçu", "Received"),
    "lots.status.EN_COURS": ("En cours de traitement", "Being processed"),
    "lots.status.TRAITE": ("Intégré", "Integrated"),
    "lots.status.PARTIEL": ("Intégré partiellement", "Partly integrated"),
    "lots.status.REJETE": ("Rejeté", "Rejected"),
    "lots.entry.ATTENTE": ("En attente", "Waiting"),
    "lots.entry.INTEGREE": ("Intégrée", "Integrated"),
    "lots.entry.REJETEE": ("Rejetée", "Rejected"),
    "lots.progress": ("{done} facture(s) traitée(s) sur {total}", "{done} of {total} invoice(s) processed"),
    "lots.summary": ("{integrated} intégrée(s), {rejected} rejetée(s), sur {total}",
                     "{integrated} integrated, {rejected} rejected, out of {total}"),
    "lots.col.position": ("N°", "No."),
    "lots.col.entry": ("Fichier dans le lot", "File in the lot"),
    "lots.col.invoice": ("Facture", "Invoice"),
    "lots.col.anomalies": ("Anomalies", "Anomalies"),
    "lots.only_rejected": ("Afficher seulement les factures rejetées", "Show rejected invoices only"),
    "lots.none_rejected": ("Aucune facture rejetée.", "No rejected invoice."),
    "lots.back": ("Retour aux lots", "Back to the lots"),
    "lots.redeposit": ("Corrigez les factures rejetées, puis déposez-les dans un nouveau lot.",
                       "Correct the rejected invoices, then deposit them in a new lot."),
})
