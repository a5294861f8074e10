"""Texts of the supplier's screens reworked for issue 16 (sign-up identifiers, Factures émises tabs, archives)."""

from shared.i18n import register

register({
    "identifier_type.SIRET": ("SIRET", "SIRET"),
    "identifier_type.RIDET": ("RIDET (Nouvelle-Calédonie)", "RIDET (New Caledonia)"),
    "identifier_type.TAHITI": ("Numéro TAHITI (Polynésie française)", "TAHITI number (French Polynesia)"),
    "identifier_type.TVA_INTRACOMMUNAUTAIRE": ("Numéro de TVA intracommunautaire", "EU VAT number"),
    "identifier_type.HORS_UE": ("Structure hors Union européenne", "Organisation outside the European Union"),
    "identifier_type.PARTICULIER": ("Particulier", "Private individual"),
    "identifier_hint.TVA_INTRACOMMUNAUTAIRE": ("Le code du pays suivi du numéro, par exemple FR40303265045.",
                                               "The country code then the number, for example FR40303265045."),
    "signup.checking": ("Vérification…", "Checking…"),
})

register({
    "issued.tabs": ("Onglets des factures émises", "Issued invoices tabs"),
    "issued.tab.synthese": ("Synthèse", "Summary"),
    "issued.tab.search": ("Rechercher", "Search"),
    "issued.tab.dashboard": ("Tableau de bord", "Dashboard"),
    "issued.tab.manual": ("Saisir facture", "Type an invoice"),
    "issued.tab.deposit": ("Dépôt factures", "Deposit invoices"),
    "issued.tab.archives": ("Archives", "Archives"),
    "issued.duplicate": ("Dupliquer", "Duplicate"),
    "issued.download_facturx": ("Télécharger le Factur-X", "Download the Factur-X"),
    "archives.title": ("Archives des factures émises", "Issued invoices archives"),
    "archives.intro": ("Les factures émises il y a plus de deux ans ne sont plus au tableau de bord : elles restent ici, "
                       "archivées dix ans à compter de leur dépôt (du {start} au {end}).",
                       "Invoices issued more than two years ago leave the dashboard: they stay here, archived for ten years "
                       "from their deposit (from {start} to {end})."),
    "archives.number": ("Numéro de facture", "Invoice number"),
    "archives.from": ("Déposée du", "Deposited from"),
    "archives.to": ("au", "to"),
    "archives.submit": ("Rechercher", "Search"),
    "archives.empty": ("Aucune facture archivée pour ces critères.", "No archived invoice for these criteria."),
    "archives.download": ("Télécharger", "Download"),
    "results.count": ("{count} facture(s) trouvée(s)", "{count} invoice(s) found"),
    "results.count_more": ("Plus de 10 000 factures trouvées : précisez les critères ou exportez les résultats",
                           "More than 10,000 invoices found: narrow the criteria or export the results"),
    "results.criteria": ("Critères de recherche", "Search criteria"),
    "results.no_criteria": ("aucun critère (toutes vos factures)", "no criteria (all your invoices)"),
    "results.change": ("Modifier la recherche", "Change the search"),
})
