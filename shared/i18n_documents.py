"""Texts of the generated documents (deposit certificate), French first."""

from shared.i18n import register

register({
    "certificate.title": ("Attestation de dépôt", "Deposit certificate"),
    "certificate.document_title": ("Attestation de dépôt {number}", "Deposit certificate {number}"),
    "certificate.portal": ("Chorale — portail de la facturation électronique publique", "Chorale — the public e-invoicing portal"),
    "certificate.deposited": ("La facture n° {number} a été déposée ; elle est transmise au destinataire.",
                              "Invoice no. {number} was deposited; it is sent to its recipient."),
    "certificate.deposit_number": ("Certificat de dépôt n°", "Deposit certificate no."),
    "certificate.deposit_date": ("Date de dépôt", "Deposit date"),
    "certificate.moment": ("{day} à {time}", "{day} at {time}"),
    "certificate.invoice_number": ("Numéro de facture", "Invoice number"),
    "certificate.invoice_date": ("Date de facture", "Invoice date"),
    "certificate.cadre": ("Cadre de facturation", "Invoicing framework"),
    "certificate.supplier": ("Fournisseur", "Supplier"),
    "certificate.recipient": ("Destinataire", "Recipient"),
    "certificate.service": ("Code service", "Service code"),
    "certificate.engagement": ("Numéro d'engagement", "Commitment number"),
    "certificate.total_ht": ("Montant HT", "Amount excl. VAT"),
    "certificate.total_tva": ("Montant TVA", "VAT amount"),
    "certificate.total_ttc": ("Montant TTC total", "Total incl. VAT"),
    "certificate.net_a_payer": ("Montant à payer", "Amount due"),
    "certificate.sha256": ("Empreinte SHA-256 du PDF", "SHA-256 fingerprint of the PDF"),
    "certificate.footer": ("Le fichier PDF déposé a valeur probante. Ce certificat atteste de la date et du contenu du dépôt.",
                           "The deposited PDF is the legal original. This certificate attests the date and content of the deposit."),
})
