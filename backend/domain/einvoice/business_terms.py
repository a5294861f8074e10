"""EN 16931 business terms (BT-…, BG-…) by their French and English names, and the form's field for each.

The French names follow NF EN 16931-1; `FORM_FIELDS` names the field of the typed-in invoice form
(« Saisir une facture ») that carries the term, so a report can say where a person would correct it.
Pure data, no I/O.
"""

from __future__ import annotations

import re

from shared.i18n import pick

TERMS: dict[str, tuple[str, str]] = {
    "BT-1": ("numéro de facture", "Invoice number"),
    "BT-2": ("date d'émission de la facture", "Invoice issue date"),
    "BT-3": ("code de type de facture", "Invoice type code"),
    "BT-5": ("code de devise de la facture", "Invoice currency code"),
    "BT-6": ("code de devise de comptabilisation de la TVA", "VAT accounting currency code"),
    "BT-7": ("date d'exigibilité de la TVA", "Value added tax point date"),
    "BT-8": ("code de date d'exigibilité de la TVA", "Value added tax point date code"),
    "BT-9": ("date d'échéance", "Payment due date"),
    "BT-10": ("référence acheteur (code service)", "Buyer reference"),
    "BT-12": ("référence du contrat", "Contract reference"),
    "BT-13": ("référence de la commande (numéro d'engagement)", "Purchase order reference"),
    "BT-20": ("conditions de paiement", "Payment terms"),
    "BT-21": ("code du sujet de la note", "Invoice note subject code"),
    "BT-22": ("note de la facture", "Invoice note"),
    "BT-23": ("type de processus métier (cadre de facturation)", "Business process type"),
    "BT-24": ("identifiant de spécification", "Specification identifier"),
    "BT-25": ("référence à une facture antérieure", "Preceding Invoice reference"),
    "BT-26": ("date d'émission de la facture antérieure", "Preceding Invoice issue date"),
    "BT-27": ("raison sociale du vendeur", "Seller name"),
    "BT-29": ("identifiant du vendeur", "Seller identifier"),
    "BT-30": ("identifiant légal du vendeur (SIREN)", "Seller legal registration identifier"),
    "BT-31": ("numéro de TVA du vendeur", "Seller VAT identifier"),
    "BT-34": ("adresse électronique du vendeur", "Seller electronic address"),
    "BT-40": ("code pays du vendeur", "Seller country code"),
    "BT-44": ("raison sociale de l'acheteur", "Buyer name"),
    "BT-46": ("identifiant de l'acheteur", "Buyer identifier"),
    "BT-47": ("identifiant légal de l'acheteur (SIREN)", "Buyer legal registration identifier"),
    "BT-48": ("numéro de TVA de l'acheteur", "Buyer VAT identifier"),
    "BT-49": ("adresse électronique de l'acheteur", "Buyer electronic address"),
    "BT-55": ("code pays de l'acheteur", "Buyer country code"),
    "BT-59": ("nom du bénéficiaire", "Payee name"),
    "BT-62": ("nom du représentant fiscal du vendeur", "Seller tax representative name"),
    "BT-63": ("numéro de TVA du représentant fiscal", "Seller tax representative VAT identifier"),
    "BT-69": ("code pays du représentant fiscal", "Tax representative country code"),
    "BT-73": ("date de début de la période de facturation", "Invoicing period start date"),
    "BT-74": ("date de fin de la période de facturation", "Invoicing period end date"),
    "BT-80": ("code pays de livraison", "Deliver to country code"),
    "BT-81": ("code du moyen de paiement", "Payment means type code"),
    "BT-84": ("identifiant du compte de paiement (IBAN)", "Payment account identifier"),
    "BT-87": ("numéro de carte de paiement", "Payment card primary account number"),
    "BT-92": ("montant de la remise au niveau du document", "Document level allowance amount"),
    "BT-93": ("assiette de la remise au niveau du document", "Document level allowance base amount"),
    "BT-95": ("code de catégorie de TVA de la remise", "Document level allowance VAT category code"),
    "BT-97": ("motif de la remise", "Document level allowance reason"),
    "BT-98": ("code du motif de la remise", "Document level allowance reason code"),
    "BT-99": ("montant des frais au niveau du document", "Document level charge amount"),
    "BT-100": ("assiette des frais au niveau du document", "Document level charge base amount"),
    "BT-102": ("code de catégorie de TVA des frais", "Document level charge VAT category code"),
    "BT-104": ("motif des frais", "Document level charge reason"),
    "BT-105": ("code du motif des frais", "Document level charge reason code"),
    "BT-106": ("somme des montants nets des lignes", "Sum of Invoice line net amount"),
    "BT-107": ("somme des remises au niveau du document", "Sum of allowances on document level"),
    "BT-108": ("somme des frais au niveau du document", "Sum of charges on document level"),
    "BT-109": ("total HT", "Invoice total amount without VAT"),
    "BT-110": ("total de la TVA", "Invoice total VAT amount"),
    "BT-111": ("total de la TVA en devise de comptabilisation", "Invoice total VAT amount in accounting currency"),
    "BT-112": ("total TTC", "Invoice total amount with VAT"),
    "BT-113": ("montant déjà payé", "Paid amount"),
    "BT-114": ("montant d'arrondi", "Rounding amount"),
    "BT-115": ("net à payer", "Amount due for payment"),
    "BT-116": ("base HT de la catégorie de TVA", "VAT category taxable amount"),
    "BT-117": ("montant de TVA de la catégorie", "VAT category tax amount"),
    "BT-118": ("code de catégorie de TVA", "VAT category code"),
    "BT-119": ("taux de TVA de la catégorie", "VAT category rate"),
    "BT-120": ("motif d'exonération de TVA", "VAT exemption reason text"),
    "BT-121": ("code du motif d'exonération de TVA", "VAT exemption reason code"),
    "BT-122": ("référence du document justificatif", "Supporting document reference"),
    "BT-123": ("description du document justificatif", "Supporting document description"),
    "BT-126": ("identifiant de ligne", "Invoice line identifier"),
    "BT-128": ("identifiant d'objet de la ligne", "Invoice line object identifier"),
    "BT-129": ("quantité facturée", "Invoiced quantity"),
    "BT-130": ("unité de mesure de la quantité", "Invoiced quantity unit of measure code"),
    "BT-131": ("montant net de la ligne", "Invoice line net amount"),
    "BT-134": ("date de début de la période de la ligne", "Invoice line period start date"),
    "BT-135": ("date de fin de la période de la ligne", "Invoice line period end date"),
    "BT-136": ("montant de la remise sur la ligne", "Invoice line allowance amount"),
    "BT-137": ("assiette de la remise sur la ligne", "Invoice line allowance base amount"),
    "BT-139": ("motif de la remise sur la ligne", "Invoice line allowance reason"),
    "BT-140": ("code du motif de la remise sur la ligne", "Invoice line allowance reason code"),
    "BT-141": ("montant des frais sur la ligne", "Invoice line charge amount"),
    "BT-142": ("assiette des frais sur la ligne", "Invoice line charge base amount"),
    "BT-144": ("motif des frais sur la ligne", "Invoice line charge reason"),
    "BT-145": ("code du motif des frais sur la ligne", "Invoice line charge reason code"),
    "BT-146": ("prix unitaire net", "Item net price"),
    "BT-147": ("remise sur le prix unitaire", "Item price discount"),
    "BT-148": ("prix unitaire brut", "Item gross price"),
    "BT-149": ("quantité de base du prix", "Item price base quantity"),
    "BT-151": ("code de catégorie de TVA de la ligne", "Invoiced item VAT category code"),
    "BT-152": ("taux de TVA de la ligne", "Invoiced item VAT rate"),
    "BT-153": ("désignation de l'article", "Item name"),
    "BT-157": ("identifiant normalisé de l'article", "Item standard identifier"),
    "BT-158": ("identifiant de classification de l'article", "Item classification identifier"),
    "BT-160": ("nom de l'attribut de l'article", "Item attribute name"),
    "BT-161": ("valeur de l'attribut de l'article", "Item attribute value"),
    "BG-1": ("note de la facture", "Invoice note"),
    "BG-3": ("référence à une facture antérieure", "Preceding invoice reference"),
    "BG-4": ("vendeur", "Seller"),
    "BG-5": ("adresse postale du vendeur", "Seller postal address"),
    "BG-7": ("acheteur", "Buyer"),
    "BG-8": ("adresse postale de l'acheteur", "Buyer postal address"),
    "BG-10": ("bénéficiaire", "Payee"),
    "BG-11": ("représentant fiscal du vendeur", "Seller tax representative party"),
    "BG-12": ("adresse postale du représentant fiscal", "Seller tax representative postal address"),
    "BG-14": ("période de facturation", "Invoicing period"),
    "BG-15": ("adresse de livraison", "Deliver to address"),
    "BG-16": ("instructions de paiement", "Payment instructions"),
    "BG-17": ("virement", "Credit transfer"),
    "BG-20": ("remise au niveau du document", "Document level allowance"),
    "BG-21": ("frais au niveau du document", "Document level charge"),
    "BG-23": ("ventilation de la TVA", "VAT breakdown"),
    "BG-24": ("document justificatif", "Additional supporting document"),
    "BG-25": ("ligne de facture", "Invoice line"),
    "BG-26": ("période de la ligne", "Invoice line period"),
    "BG-27": ("remise sur la ligne", "Invoice line allowance"),
    "BG-28": ("frais sur la ligne", "Invoice line charge"),
    "BG-32": ("attribut de l'article", "Item attribute"),
}

# The typed-in form's labels (frontend/screens/invoice_form*.py), French and English.
FORM_FIELDS: dict[str, tuple[str, str]] = {
    "BT-1": ("Numéro de facture", "Invoice number"),
    "BT-2": ("Date de facture", "Invoice date"),
    "BT-3": ("Type de document", "Document type"),
    "BT-5": ("Devise", "Currency"),
    "BT-9": ("Date d'échéance", "Due date"),
    "BT-10": ("Code service", "Service code"),
    "BT-13": ("Numéro d'engagement", "Commitment number"),
    "BT-20": ("Conditions de paiement", "Payment terms"),
    "BT-22": ("Mentions légales", "Legal notes"),
    "BT-23": ("Cadre de facturation", "Billing framework"),
    "BT-25": ("Facture d'origine", "Original invoice"),
    "BT-27": ("Fournisseur", "Supplier"),
    "BT-30": ("SIRET du fournisseur", "Supplier SIRET"),
    "BT-31": ("N° de TVA du fournisseur", "Supplier VAT number"),
    "BT-34": ("Adresse électronique du fournisseur", "Supplier electronic address"),
    "BT-44": ("Destinataire", "Recipient"),
    "BT-47": ("SIRET du destinataire", "Recipient SIRET"),
    "BT-49": ("Adresse électronique du destinataire", "Recipient electronic address"),
    "BT-84": ("IBAN", "IBAN"),
    "BT-109": ("Montant HT", "Amount excl. VAT"),
    "BT-110": ("Montant TVA", "VAT amount"),
    "BT-112": ("Montant TTC", "Amount incl. VAT"),
    "BT-115": ("Net à payer", "Amount due"),
    "BT-119": ("Taux de TVA", "VAT rate"),
    "BT-129": ("Quantité", "Quantity"),
    "BT-131": ("Montant HT de la ligne", "Line amount excl. VAT"),
    "BT-146": ("Prix unitaire HT", "Unit price excl. VAT"),
    "BT-152": ("Taux de TVA", "VAT rate"),
    "BT-153": ("Désignation", "Description"),
}

_TERM = re.compile(r"\b(B[TG]-\d+)\b")


def terms_in(text: str) -> list[str]:
    """The business terms a rule's text names, in order, once each."""
    return list(dict.fromkeys(_TERM.findall(text)))


def term_label(term: str, lang: str = "fr") -> str:
    names = TERMS.get(term)
    return f"{pick(names, lang) if names else term} ({term})"


def form_field(terms: list[str], lang: str = "fr") -> str | None:
    """The form field of the first term the form has, or None."""
    for term in terms:
        if term in FORM_FIELDS:
            return pick(FORM_FIELDS[term], lang)
    return None
