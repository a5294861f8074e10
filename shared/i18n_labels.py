"""Names of enum members for people, French and English, under `<EnumClass>.<value>` (read with
`shared.i18n.label(member, lang)`). tests/unit/i18n/test_catalogue.py checks that an enum with one name here
has them all, in both languages."""

from shared.i18n import register

# backend/domain/lots/rules.py
register({
    "DepositFormat.XML_STRUCTURE": ("XML structuré", "Structured XML"),
    "DepositFormat.PDF_FACTURX": ("PDF A3", "PDF A3"),
    "DepositFormat.XML_MIXTE": ("XML mixte", "Mixed XML"),
    "Syntax.UBL": ("UBL Invoice", "UBL Invoice"),
    "Syntax.CII": ("CII 16B", "CII 16B"),
    "Syntax.FACTURX": ("Factur-X (CII)", "Factur-X (CII)"),
    "Syntax.UBL_MIN": ("UBL Invoice Min", "UBL Invoice Min"),
    "Syntax.CII_MIN": ("CII Min", "CII Min"),
})

# backend/domain/invoices/rules.py
register({
    "Action.SAVE_DRAFT": ("Enregistrer en mode brouillon", "Save as draft"),
    "Action.SEND": ("Valider et envoyer", "Validate and send"),
    "Action.ROUTE": ("Acheminer", "Route"),
    "Action.MAKE_AVAILABLE": ("Mettre à disposition", "Make available"),
    "Action.ROUTING_ERROR": ("Erreur d'acheminement", "Routing error"),
    "Action.REJECT": ("Rejeter", "Reject"),
    "Action.RECYCLE": ("Mettre à recycler", "Send back for correction"),
    "Action.VALIDATE_HOLDER": ("Valider (titulaire)", "Validate (holder)"),
    "Action.VALIDATE_MOE": ("Valider (maîtrise d'œuvre)", "Validate (project manager)"),
    "Action.VALIDATE_MOA": ("Valider (maîtrise d'ouvrage)", "Validate (project owner)"),
    "Action.SUSPEND": ("Suspendre", "Suspend"),
    "Action.COMPLETE": ("Compléter", "Complete"),
    "Action.REFUSE": ("Refuser", "Refuse"),
    "Action.VALIDATE": ("Valider / Service fait", "Validate / Service done"),
    "Action.MANDATE": ("Mandater", "Order payment"),
    "Action.PUT_IN_PAYMENT": ("Mettre en paiement", "Put in payment"),
})

# backend/domain/sollicitations/rules.py
register({
    "State.nouvelle": ("Nouvelle", "New"),
    "State.en_cours": ("En cours", "In progress"),
    "State.attente_reponse": ("En attente de votre réponse", "Awaiting your reply"),
    "State.resolue": ("Résolue", "Resolved"),
    "State.close": ("Close", "Closed"),
})

# backend/domain/invoices/fields.py: the names of an invoice's fields in its error texts
register({
    "invoice_field.number": ("numéro de facture", "invoice number"),
    "invoice_field.invoice_date": ("date de facture", "invoice date"),
    "invoice_field.engagement_number": ("numéro d'engagement", "commitment number"),
    "invoice_field.purchase_order": ("numéro de bon de commande", "purchase order number"),
    "invoice_field.total_ht": ("montant HT", "amount excl. VAT"),
    "invoice_field.total_tva": ("montant TVA", "VAT amount"),
    "invoice_field.total_ttc": ("montant TTC", "amount incl. VAT"),
    "invoice_field.net_a_payer": ("net à payer", "amount due"),
    "invoice_field.currency": ("devise", "currency"),
    "invoice_field.comment": ("commentaire", "comment"),
    "invoice_field.recipient_service_code": ("code service", "service code"),
    "invoice_field.payment_terms": ("texte des conditions de paiement", "payment terms"),
    "invoice_field.description": ("libellé", "description"),
    "invoice_field.exemption_reason": ("motif d'exonération", "exemption reason"),
    "invoice_field.text": ("texte", "text"),
    "invoice_field.siret_owner.recipient_siret": ("du destinataire", "recipient's"),
    "invoice_field.siret_owner.holder_siret": ("du titulaire", "holder's"),
    "invoice_field.siret_owner.project_manager_siret": ("de la maîtrise d'œuvre", "project manager's"),
})

# backend/domain/einvoice/facturx_pdf.py: the words of the Factur-X visual
register({
    "facturx_pdf.380": ('FACTURE', 'INVOICE'),
    "facturx_pdf.381": ('AVOIR', 'CREDIT NOTE'),
    "facturx_pdf.number": ('N°', 'No.'),
    "facturx_pdf.date": ('Date', 'Date'),
    "facturx_pdf.seller": ('Fournisseur', 'Supplier'),
    "facturx_pdf.buyer": ('Destinataire', 'Recipient'),
    "facturx_pdf.engagement": ("N° d'engagement", 'Commitment no.'),
    "facturx_pdf.service": ('Code service', 'Service code'),
    "facturx_pdf.preceding": ("Facture d'origine", 'Original invoice'),
    "facturx_pdf.recap": ('Récapitulatif TVA', 'VAT summary'),
    "facturx_pdf.base": ('Base', 'Base'),
    "facturx_pdf.vat": ('TVA', 'VAT'),
    "facturx_pdf.ht": ('Total HT', 'Total excl. VAT'),
    "facturx_pdf.tva": ('Total TVA', 'Total VAT'),
    "facturx_pdf.ttc": ('Total TTC', 'Total incl. VAT'),
    "facturx_pdf.due": ('Net à payer', 'Amount due'),
    "facturx_pdf.iban": ('IBAN', 'IBAN'),
    "facturx_pdf.terms": ('Conditions de paiement', 'Payment terms'),
    "facturx_pdf.siret": ('SIRET', 'SIRET'),
    "facturx_pdf.vat_id": ('N° TVA', 'VAT no.'),
    "facturx_pdf.col.designation": ('Désignation', 'Description'),
    "facturx_pdf.col.quantity": ('Qté', 'Qty'),
    "facturx_pdf.col.unit_price": ('PU HT', 'Unit price'),
    "facturx_pdf.col.discount": ('Remise', 'Discount'),
    "facturx_pdf.col.vat": ('TVA', 'VAT'),
    "facturx_pdf.col.net": ('Montant HT', 'Net amount'),
})

# shared/invoice_status.py: statuses and the dashboard's columns
register({
    "InvoiceStatus.BROUILLON": ("Brouillon", "Draft"),
    "InvoiceStatus.PROVISOIRE": ("Provisoire", "Unsaved"),
    "InvoiceStatus.DEPOSEE": ("Déposée", "Deposited"),
    "InvoiceStatus.EN_COURS_ACHEMINEMENT": ("En cours d'acheminement", "Being routed"),
    "InvoiceStatus.MISE_A_DISPOSITION": ("Mise à disposition", "Made available"),
    "InvoiceStatus.ERREUR_ACHEMINEMENT": ("Erreur d'acheminement", "Routing error"),
    "InvoiceStatus.A_RECYCLER": ("À recycler", "To be corrected"),
    "InvoiceStatus.REJETEE": ("Rejetée", "Rejected"),
    "InvoiceStatus.A_VALIDER_TITULAIRE": ("À valider par le titulaire", "Awaiting the holder's validation"),
    "InvoiceStatus.A_VALIDER_MOE": ("À valider par la maîtrise d'œuvre", "Awaiting the project manager"),
    "InvoiceStatus.A_VALIDER_MOA": ("À valider par la maîtrise d'ouvrage", "Awaiting the project owner"),
    "InvoiceStatus.SUSPENDUE": ("Suspendue", "Suspended"),
    "InvoiceStatus.COMPLETEE": ("Complétée", "Completed"),
    "InvoiceStatus.REFUSEE": ("Refusée", "Refused"),
    "InvoiceStatus.SERVICE_FAIT": ("Service fait", "Service done"),
    "InvoiceStatus.MANDATEE": ("Mandatée", "Payment ordered"),
    "InvoiceStatus.MISE_EN_PAIEMENT": ("Mise en paiement", "Payment sent"),
    "DashboardColumn.brouillon": ("Brouillon", "Draft"),
    "DashboardColumn.erreur_acheminement": ("Erreur d'acheminement", "Routing error"),
    "DashboardColumn.mise_a_disposition": ("Mise à disposition", "Made available"),
    "DashboardColumn.validee": ("Validée", "Validated"),
    "DashboardColumn.refusee_rejetee": ("Refusée / Rejetée", "Refused / Rejected"),
    "DashboardColumn.associee_prise_en_compte": ("Associée / Prise en compte", "Associated / Taken into account"),
    "DashboardColumn.suspendue": ("Suspendue", "Suspended"),
    "DashboardColumn.deposee": ("Déposée", "Deposited"),
    "DashboardColumn.en_cours_destinataire": ("En cours de traitement par le destinataire", "Being processed by the recipient"),
    "DashboardColumn.mise_en_paiement": ("Mise en paiement", "Payment sent"),
})

# shared/applications.py: the portal's applications and a profile's two levels
register({
    "Application.factures_emises": ("Factures émises", "Issued invoices"),
    "Application.factures_recues": ("Factures reçues", "Received invoices"),
    "Application.organisation": ("Organisation", "Organisation"),
    "Application.factures_travaux": ("Factures de travaux", "Works invoices"),
    "Application.factures_a_valider": ("Factures à valider", "Invoices to validate"),
    "Application.engagements": ("Engagements", "Commitments"),
    "Application.sollicitations_emises": ("Sollicitations émises", "Requests sent"),
    "Application.memoires_frais_justice": ("Mémoires de frais de justice", "Court fee statements"),
    "Application.remboursement_tic": ("Demande de remboursement TIC", "TIC refund requests"),
    "Application.raccordement_edi_api": ("Raccordement EDI et API", "EDI and API connection"),
    "Application.suivi_des_flux": ("Suivi des flux", "Flow tracking"),
    "Level.consultation": ("consultation", "read-only"),
    "Level.modification": ("modification", "modify"),
})

# backend/domain/sollicitations/rules.py: the categories and sub-categories of a request (CATEGORIES)
register({
    "soll.category.compte": ("Mon compte utilisateur", "My user account"),
    "soll.subcategory.compte.connexion": ("Connexion, mot de passe", "Login, password"),
    "soll.subcategory.compte.activation": ("Activation du compte", "Account activation"),
    "soll.subcategory.compte.coordonnees": ("Coordonnées, préférences", "Details, preferences"),
    "soll.category.rattachement": ("Rattachement à une structure", "Attachment to a structure"),
    "soll.subcategory.rattachement.demande": ("Demande de rattachement", "Attachment request"),
    "soll.subcategory.rattachement.gestionnaire": ("Gestionnaire principal", "Principal manager"),
    "soll.subcategory.rattachement.profils": ("Profils et espaces", "Profiles and workspaces"),
    "soll.category.depot": ("Dépôt de facture", "Invoice deposit"),
    "soll.subcategory.depot.pdf": ("Dépôt PDF", "PDF deposit"),
    "soll.subcategory.depot.saisie": ("Saisie de facture", "Typed-in invoice"),
    "soll.subcategory.depot.destinataire": ("Destinataire, code service, engagement", "Recipient, service code, commitment"),
    "soll.category.lot": ("Dépôt par lot", "Lot deposit"),
    "soll.subcategory.lot.rejet": ("Lot ou facture rejeté(e)", "Rejected lot or invoice"),
    "soll.subcategory.lot.format": ("Format et syntaxe", "Format and syntax"),
    "soll.subcategory.lot.integration": ("Intégration en attente", "Integration pending"),
    "soll.category.traitement": ("Traitement des factures", "Invoice processing"),
    "soll.subcategory.traitement.statut": ("Statut d'une facture", "Invoice status"),
    "soll.subcategory.traitement.paiement": ("Paiement", "Payment"),
    "soll.subcategory.traitement.rejet": ("Rejet ou refus", "Rejection or refusal"),
    "soll.category.api": ("Raccordement EDI et API", "EDI and API connection"),
    "soll.subcategory.api.raccordement": ("Demande de raccordement", "Connection request"),
    "soll.subcategory.api.flux": ("Flux et erreurs techniques", "Flows and technical errors"),
})

# shared/applications.py: what each workspace a supplier may open is for (WORKSPACE_DESCRIPTIONS)
register({
    "workspace.description.remboursement_tic": ("Réservé au dépôt des demandes de remboursement TIC", "For TIC refund requests"),
    "workspace.description.engagements": ("Visualisation des commandes de l'État", "View the State's purchase orders"),
    "workspace.description.factures_a_valider": ("Réservé à la validation des sous-traitants et cotraitants", "Validation of subcontractors and co-contractors"),
    "workspace.description.factures_travaux": ("Réservé au dépôt de factures de travaux (fournisseurs, MOE, MOA)", "Works invoices (suppliers, project managers, owners)"),
    "workspace.description.factures_emises": ("Réservé au dépôt et à la visualisation des factures émises à destination des structures publiques", "Deposit and view invoices sent to public bodies"),
    "workspace.description.sollicitations_emises": ("Réservé aux sollicitations adressées au support", "Requests sent to support"),
    "workspace.description.memoires_frais_justice": ("Réservé au dépôt de mémoires de frais de justice", "Court fee statements"),
    "workspace.description.raccordement_edi_api": ("Permet de demander et de suivre le raccordement de vos structures pour l'utilisation des modes EDI et API", "Request and follow EDI/API connection"),
    "workspace.description.suivi_des_flux": ("Réservé aux structures raccordées émettant des flux EDI", "For connected structures sending EDI flows"),
})

# shared/cadres.py: the cadres de facturation (shown after their code, « A1 … »), invoice kinds and sources
register({
    "Cadre.A1": ("Dépôt par un fournisseur d'une facture", "Invoice deposited by a supplier"),
    "Cadre.A2": ("Dépôt par un fournisseur d'une facture déjà payée", "Already-paid invoice deposited by a supplier"),
    "Cadre.A3": ("Dépôt par un fournisseur d'un mémoire de frais de justice", "Court fee statement deposited by a supplier"),
    "Cadre.A4": ("Dépôt par un fournisseur d'un projet de décompte mensuel", "Draft monthly statement (works) by a supplier"),
    "Cadre.A5": ("Dépôt par un fournisseur d'un état d'acompte", "Progress payment statement by a supplier"),
    "Cadre.A6": ("Dépôt par un fournisseur d'un état d'acompte validé", "Validated progress payment statement by a supplier"),
    "Cadre.A7": ("Dépôt par un fournisseur d'un projet de décompte final", "Draft final statement by a supplier"),
    "Cadre.A8": ("Dépôt par un fournisseur d'un décompte général et définitif tacite", "Tacit final general statement by a supplier"),
    "Cadre.A9": ("Dépôt par un sous-traitant d'une facture", "Invoice deposited by a subcontractor"),
    "Cadre.A10": ("Dépôt par un sous-traitant d'un projet de décompte mensuel", "Draft monthly statement by a subcontractor"),
    "Cadre.A11": ("Dépôt par un sous-traitant d'un projet de décompte final", "Draft final statement by a subcontractor"),
    "Cadre.A12": ("Dépôt par un cotraitant d'une facture", "Invoice deposited by a co-contractor"),
    "Cadre.A13": ("Dépôt par un cotraitant d'un projet de décompte mensuel", "Draft monthly statement by a co-contractor"),
    "Cadre.A14": ("Dépôt par un cotraitant d'un projet de décompte final", "Draft final statement by a co-contractor"),
    "Cadre.A15": ("Dépôt par une MOE d'un état d'acompte", "Progress payment statement by a project manager"),
    "Cadre.A16": ("Dépôt par une MOE d'un état d'acompte validé", "Validated progress payment statement by a project manager"),
    "Cadre.A17": ("Dépôt par une MOE d'un projet de décompte général", "Draft general statement by a project manager"),
    "Cadre.A18": ("Dépôt par une MOE d'un décompte général", "General statement by a project manager"),
    "Cadre.A19": ("Dépôt par une MOA d'un état d'acompte validé", "Validated progress payment statement by a project owner"),
    "Cadre.A20": ("Dépôt par une MOA d'un décompte général", "General statement by a project owner"),
    "Cadre.A21": ("Dépôt par un bénéficiaire d'une demande de remboursement de la TIC", "TIC refund request by a beneficiary"),
    "Cadre.A22": ("Dépôt par un fournisseur d'un projet de décompte général dans le cadre d'une procédure tacite", "Draft general statement by a supplier (tacit procedure)"),
    "Cadre.A23": ("Dépôt par un fournisseur d'un décompte général et définitif dans le cadre d'une procédure tacite", "Final general statement by a supplier (tacit procedure)"),
    "Cadre.A24": ("Dépôt par une MOE d'un décompte général et définitif dans le cadre d'une procédure tacite", "Final general statement by a project manager (tacit procedure)"),
    "Cadre.A25": ("Dépôt par une MOA d'un décompte général et définitif dans le cadre d'une procédure tacite", "Final general statement by a project owner (tacit procedure)"),
    "InvoiceKind.FACTURE": ("Facture", "Invoice"),
    "InvoiceKind.AVOIR": ("Avoir", "Credit note"),
    "InvoiceSource.PDF": ("Dépôt PDF", "PDF deposit"),
    "InvoiceSource.SAISIE": ("Saisie", "Typed in"),
    "InvoiceSource.DUPLICATION": ("Duplication", "Duplicate"),
    "InvoiceSource.LOT": ("Lot", "Batch"),
})
