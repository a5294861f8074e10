"""The anomaly catalogue: for every rule of the official stylesheets, a French explanation written for a
supplier, its English text, and a suggested fix where one can be given.

Which rules exist comes from `rule_skeleton.json` (generated from the stylesheets); a test checks that
`explain` answers for each one in both languages. The EN 16931 business rules (BR-…, BR-CO-…, BR-CL-…)
are written one by one; families that repeat one sentence with another term (BR-DEC-…, the VAT
categories BR-S/Z/E/AE/IC/G/O/AF/AG, the syntax rules UBL-CR/CII-SR/…-DT) are written once as a pattern;
French rules (BR-FR-…) keep the French stylesheet's own message, which already names the term and the
value found, with an English sentence per rule family. Pure: no I/O past reading the skeleton once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from backend.domain.einvoice.business_terms import form_field, form_field_term, term_label, terms_in

SKELETON = Path(__file__).parent / "rule_skeleton.json"


@dataclass(frozen=True)
class Explanation:
    rule_id: str
    layer: str                 # "en16931" or "fr"
    fr: str
    en: str
    terms: tuple[str, ...]     # BT-…/BG-… the rule names
    field_term: str | None     # the term whose typed-in form field a person corrects (catalogue `form_field.<term>`)
    field_fr: str | None       # that field's name
    field_en: str | None
    hint_fr: str | None
    hint_en: str | None


@cache
def skeleton() -> dict[str, dict]:
    return json.loads(SKELETON.read_text(encoding="utf-8"))


def _fr(term: str) -> str:
    return term_label(term, "fr")


# EN 16931 business rules, in French. « X » names a term with its BT number, as the norm's French text does.
T = _fr
RULES_FR: dict[str, str] = {
    "BR-01": f"La facture doit indiquer l'{T('BT-24')}.",
    "BR-02": f"La facture doit avoir un {T('BT-1')}.",
    "BR-03": f"La facture doit avoir une {T('BT-2')}.",
    "BR-04": f"La facture doit avoir un {T('BT-3')}.",
    "BR-05": f"La facture doit avoir un {T('BT-5')}.",
    "BR-06": f"La facture doit indiquer la {T('BT-27')}.",
    "BR-07": f"La facture doit indiquer la {T('BT-44')}.",
    "BR-08": f"La facture doit contenir l'{T('BG-5')}.",
    "BR-09": f"L'{T('BG-5')} doit contenir le {T('BT-40')}.",
    "BR-10": f"La facture doit contenir l'{T('BG-8')}.",
    "BR-11": f"L'{T('BG-8')} doit contenir le {T('BT-55')}.",
    "BR-12": f"La facture doit indiquer la {T('BT-106')}.",
    "BR-13": f"La facture doit indiquer le {T('BT-109')}.",
    "BR-14": f"La facture doit indiquer le {T('BT-112')}.",
    "BR-15": f"La facture doit indiquer le {T('BT-115')}.",
    "BR-16": f"La facture doit avoir au moins une {T('BG-25')}.",
    "BR-17": f"Le {T('BT-59')} doit être indiqué lorsque le bénéficiaire (BG-10) n'est pas le vendeur (BG-4).",
    "BR-18": f"Le {T('BT-62')} doit être indiqué lorsque le vendeur a un représentant fiscal (BG-11).",
    "BR-19": f"L'{T('BG-12')} doit être indiquée lorsque le vendeur a un représentant fiscal (BG-11).",
    "BR-20": f"L'{T('BG-12')} doit contenir le {T('BT-69')}.",
    "BR-21": f"Chaque {T('BG-25')} doit avoir un {T('BT-126')}.",
    "BR-22": f"Chaque {T('BG-25')} doit avoir une {T('BT-129')}.",
    "BR-23": f"Chaque {T('BG-25')} doit avoir une {T('BT-130')}.",
    "BR-24": f"Chaque {T('BG-25')} doit avoir un {T('BT-131')}.",
    "BR-25": f"Chaque {T('BG-25')} doit avoir une {T('BT-153')}.",
    "BR-26": f"Chaque {T('BG-25')} doit avoir un {T('BT-146')}.",
    "BR-27": f"Le {T('BT-146')} ne doit pas être négatif.",
    "BR-28": f"Le {T('BT-148')} ne doit pas être négatif.",
    "BR-29": f"La {T('BT-74')} doit être égale ou postérieure à la {T('BT-73')}.",
    "BR-30": f"La {T('BT-135')} doit être égale ou postérieure à la {T('BT-134')}.",
    "BR-31": f"Chaque {T('BG-20')} doit avoir un {T('BT-92')}.",
    "BR-32": f"Chaque {T('BG-20')} doit avoir un {T('BT-95')}.",
    "BR-33": f"Chaque {T('BG-20')} doit avoir un {T('BT-97')} ou un {T('BT-98')}.",
    "BR-36": f"Chaque {T('BG-21')} doit avoir un {T('BT-99')}.",
    "BR-37": f"Chaque {T('BG-21')} doit avoir un {T('BT-102')}.",
    "BR-38": f"Chaque {T('BG-21')} doit avoir un {T('BT-104')} ou un {T('BT-105')}.",
    "BR-41": f"Chaque {T('BG-27')} doit avoir un {T('BT-136')}.",
    "BR-42": f"Chaque {T('BG-27')} doit avoir un {T('BT-139')} ou un {T('BT-140')}.",
    "BR-43": f"Chaque {T('BG-28')} doit avoir un {T('BT-141')}.",
    "BR-44": f"Chaque {T('BG-28')} doit avoir un {T('BT-144')} ou un {T('BT-145')}.",
    "BR-45": f"Chaque {T('BG-23')} doit avoir une {T('BT-116')}.",
    "BR-46": f"Chaque {T('BG-23')} doit avoir un {T('BT-117')}.",
    "BR-47": f"Chaque {T('BG-23')} doit avoir un {T('BT-118')}.",
    "BR-48": f"Chaque {T('BG-23')} doit avoir un {T('BT-119')}, sauf si la facture n'est pas soumise à la TVA.",
    "BR-49": f"Les {T('BG-16')} doivent indiquer le {T('BT-81')}.",
    "BR-50": f"L'{T('BT-84')} doit être indiqué lorsque la facture contient un {T('BG-17')}.",
    "BR-51": f"Le {T('BT-87')} ne doit jamais figurer en entier : au plus les 6 premiers et les 4 derniers chiffres.",
    "BR-52": f"Chaque {T('BG-24')} doit avoir une {T('BT-122')}.",
    "BR-53": f"Lorsque le {T('BT-6')} est indiqué, le {T('BT-111')} doit l'être aussi.",
    "BR-54": f"Chaque {T('BG-32')} doit avoir un {T('BT-160')} et une {T('BT-161')}.",
    "BR-55": f"Chaque {T('BG-3')} doit contenir la {T('BT-25')}.",
    "BR-56": f"Le représentant fiscal du vendeur (BG-11) doit avoir un {T('BT-63')}.",
    "BR-57": f"Chaque {T('BG-15')} doit contenir le {T('BT-80')}.",
    "BR-61": f"L'{T('BT-84')} doit être indiqué lorsque le {T('BT-81')} est un virement (SEPA, local ou international).",
    "BR-62": f"L'{T('BT-34')} doit avoir un identifiant de schéma (schemeID).",
    "BR-63": f"L'{T('BT-49')} doit avoir un identifiant de schéma (schemeID).",
    "BR-64": f"L'{T('BT-157')} doit avoir un identifiant de schéma (schemeID).",
    "BR-65": f"L'{T('BT-158')} doit avoir un identifiant de schéma (listID).",
    "BR-B-01": "Une facture en paiement fractionné de la TVA (« Split payment ») doit être une facture italienne domestique.",
    "BR-B-02": "Une facture ne peut pas mêler la catégorie de TVA « Split payment » et la catégorie « taux normal » (S).",
    "BR-CO-03": f"La {T('BT-7')} et le {T('BT-8')} s'excluent : n'en indiquez qu'un.",
    "BR-CO-04": f"Chaque {T('BG-25')} doit avoir un {T('BT-151')}.",
    "BR-CO-05": f"Le {T('BT-98')} et le {T('BT-97')} doivent désigner le même type de remise.",
    "BR-CO-06": f"Le {T('BT-105')} et le {T('BT-104')} doivent désigner le même type de frais.",
    "BR-CO-07": f"Le {T('BT-140')} et le {T('BT-139')} doivent désigner le même type de remise.",
    "BR-CO-08": f"Le {T('BT-145')} et le {T('BT-144')} doivent désigner le même type de frais.",
    "BR-CO-09": f"Le {T('BT-31')}, le {T('BT-63')} et le {T('BT-48')} doivent commencer par le code pays ISO 3166-1 (FR…, EL pour la Grèce).",
    "BR-CO-10": f"La {T('BT-106')} doit être égale à la somme des montants nets des lignes (BT-131).",
    "BR-CO-11": f"La {T('BT-107')} doit être égale à la somme des montants des remises (BT-92).",
    "BR-CO-12": f"La {T('BT-108')} doit être égale à la somme des montants des frais (BT-99).",
    "BR-CO-13": f"Le {T('BT-109')} doit être égal à la somme des montants nets des lignes (BT-131) moins la {T('BT-107')} plus la {T('BT-108')}.",
    "BR-CO-14": f"Le {T('BT-110')} doit être égal à la somme des montants de TVA de chaque catégorie (BT-117).",
    "BR-CO-15": f"Le {T('BT-112')} doit être égal au {T('BT-109')} + le {T('BT-110')}.",
    "BR-CO-16": f"Le {T('BT-115')} doit être égal au {T('BT-112')} − le {T('BT-113')} + le {T('BT-114')}.",
    "BR-CO-17": f"Le {T('BT-117')} doit être égal à la {T('BT-116')} × {T('BT-119')} / 100, arrondi à deux décimales.",
    "BR-CO-18": f"La facture doit avoir au moins une {T('BG-23')}.",
    "BR-CO-19": f"Si la {T('BG-14')} est indiquée, sa date de début (BT-73) ou de fin (BT-74) doit être renseignée.",
    "BR-CO-20": f"Si la {T('BG-26')} est indiquée, sa date de début (BT-134) ou de fin (BT-135) doit être renseignée.",
    "BR-CO-21": f"Chaque {T('BG-20')} doit avoir un {T('BT-97')} ou un {T('BT-98')}, ou les deux.",
    "BR-CO-22": f"Chaque {T('BG-21')} doit avoir un {T('BT-104')} ou un {T('BT-105')}, ou les deux.",
    "BR-CO-23": f"Chaque {T('BG-27')} doit avoir un {T('BT-139')} ou un {T('BT-140')}, ou les deux.",
    "BR-CO-24": f"Chaque {T('BG-28')} doit avoir un {T('BT-144')} ou un {T('BT-145')}, ou les deux.",
    "BR-CO-25": f"Si le {T('BT-115')} est positif, la {T('BT-9')} ou les {T('BT-20')} doivent être indiquées.",
    "BR-CO-26": f"Pour que l'acheteur identifie le fournisseur, l'{T('BT-29')}, l'{T('BT-30')} ou le {T('BT-31')} doit être indiqué.",
    "BR-CO-27": f"L'IBAN ou l'identifiant du compte de paiement (BT-84) doit être indiqué pour un virement SEPA ou un prélèvement.",
    "BR-CL-01": f"Le {T('BT-3')} doit appartenir aux codes facture et avoir de la liste UNTDID 1001.",
    "BR-CL-03": "Tout code devise (attribut currencyID) doit appartenir à la liste ISO 4217 (ex. EUR).",
    "BR-CL-04": f"Le {T('BT-5')} doit appartenir à la liste ISO 4217 (ex. EUR).",
    "BR-CL-05": f"Le {T('BT-6')} doit appartenir à la liste ISO 4217 (ex. EUR).",
    "BR-CL-06": f"Le {T('BT-8')} doit appartenir à la liste UNTDID 2005 restreinte (3, 35, 432).",
    "BR-CL-07": f"Le schéma de l'{T('BT-128')} doit appartenir à la liste UNTDID 1153.",
    "BR-CL-08": f"Le {T('BT-21')} doit appartenir à la liste UNTDID 4451.",
    "BR-CL-10": "Le schéma d'un identifiant (schemeID) doit appartenir à la liste ISO 6523 ICD (ex. 0009 pour un SIRET, 0002 pour un SIREN).",
    "BR-CL-11": "Le schéma d'un identifiant légal (schemeID) doit appartenir à la liste ISO 6523 ICD (ex. 0009 pour un SIRET, 0002 pour un SIREN).",
    "BR-CL-13": f"Le schéma de l'{T('BT-158')} doit appartenir à la liste UNTDID 7143.",
    "BR-CL-14": "Les codes pays doivent appartenir à la liste ISO 3166-1 (ex. FR).",
    "BR-CL-15": "Les codes pays doivent appartenir à la liste ISO 3166-1 (ex. FR).",
    "BR-CL-16": f"Le {T('BT-81')} doit appartenir à la liste UNCL 4461 (ex. 30 virement, 58 virement SEPA).",
    "BR-CL-17": "Les codes de catégorie de TVA doivent appartenir à la liste UNCL 5305 (S, Z, E, AE, K, G, O, L, M).",
    "BR-CL-18": "Les codes de catégorie de TVA doivent appartenir à la liste UNCL 5305 (S, Z, E, AE, K, G, O, L, M).",
    "BR-CL-19": f"Le {T('BT-98')} doit appartenir à la liste UNCL 5189.",
    "BR-CL-20": f"Le {T('BT-105')} doit appartenir à la liste UNCL 7161.",
    "BR-CL-21": f"Le schéma de l'{T('BT-157')} doit appartenir à la liste ISO 6523 ICD.",
    "BR-CL-22": f"Le {T('BT-121')} doit appartenir à la liste VATEX.",
    "BR-CL-23": "Les codes d'unité doivent appartenir à la recommandation UN/ECE 20 (ex. C62 pour « unité », HUR pour « heure »).",
    "BR-CL-24": "Le type MIME d'une pièce jointe doit être l'un de ceux admis (application/pdf, image/png, image/jpeg, text/csv, tableur).",
    "BR-CL-25": "Le schéma d'une adresse électronique (schemeID) doit appartenir à la liste CEF EAS (ex. 0009, 0225, EM).",
    "BR-CL-26": "Le schéma de l'identifiant du lieu de livraison doit appartenir à la liste ISO 6523 ICD.",
}

# The VAT category families: the same ten sentences for each category (BR-S-01 … BR-AG-10).
CATEGORIES = {"S": "taux normal", "Z": "taux zéro", "E": "exonérée", "AE": "autoliquidation", "IC": "livraison intracommunautaire",
              "G": "exportation hors UE", "O": "hors champ de la TVA", "AF": "IGIC", "AG": "IPSI"}
_CATEGORY_FR = {
    "01": "Une facture dont une ligne, une remise ou des frais relèvent de la catégorie de TVA « {c} » doit avoir une ventilation de TVA (BG-23) de cette catégorie.",
    "02": "Une ligne de catégorie de TVA « {c} » exige le numéro de TVA du vendeur (BT-31), de son représentant fiscal (BT-63) ou l'identifiant fiscal (BT-32).",
    "03": "Une remise de catégorie de TVA « {c} » exige le numéro de TVA du vendeur (BT-31), de son représentant fiscal (BT-63) ou l'identifiant fiscal (BT-32).",
    "04": "Des frais de catégorie de TVA « {c} » exigent le numéro de TVA du vendeur (BT-31), de son représentant fiscal (BT-63) ou l'identifiant fiscal (BT-32).",
    "05": "Sur une ligne de catégorie de TVA « {c} », le taux de TVA de la ligne (BT-152) ne convient pas à cette catégorie.",
    "06": "Sur une remise de catégorie de TVA « {c} », le taux de TVA de la remise (BT-96) ne convient pas à cette catégorie.",
    "07": "Sur des frais de catégorie de TVA « {c} », le taux de TVA des frais (BT-103) ne convient pas à cette catégorie.",
    "08": "Dans la ventilation de TVA « {c} », la base HT (BT-116) doit être égale à la somme des montants nets des lignes (BT-131) moins les remises (BT-92) plus les frais (BT-99) de cette catégorie (et de ce taux).",
    "09": "Dans la ventilation de TVA « {c} », le montant de TVA (BT-117) ne correspond pas à la base (BT-116) et au taux (BT-119) de cette catégorie.",
    "10": "La ventilation de TVA « {c} » a un motif d'exonération (BT-120, BT-121) qui ne convient pas à cette catégorie (présent alors qu'interdit, ou absent alors qu'exigé).",
    "11": "Une facture en catégorie de TVA « {c} » doit indiquer les adresses ou le pays de livraison exigés par cette catégorie.",
    "12": "Une facture en catégorie de TVA « {c} » doit indiquer la date ou la période de livraison exigée par cette catégorie.",
}
_CATEGORY_EN = "VAT category rule for « {c} » (see the stylesheet's English text)."

HINTS: dict[str, tuple[str, str]] = {
    "BR-CO-10": ("Recalculez la somme des lignes : chaque montant net de ligne, additionné, donne BT-106.",
                 "Recompute the line sum: the line net amounts added together give BT-106."),
    "BR-CO-13": ("Recalculez le total HT à partir des lignes, remises et frais.", "Recompute the total without VAT from the lines, allowances and charges."),
    "BR-CO-14": ("Additionnez les montants de TVA de chaque taux pour obtenir le total de la TVA.", "Add each rate's VAT amount to get the VAT total."),
    "BR-CO-15": ("Corrigez le total TTC : total HT + total TVA.", "Correct the total with VAT: total without VAT + VAT total."),
    "BR-CO-16": ("Corrigez le net à payer : total TTC − montant déjà payé + arrondi.", "Correct the amount due: total with VAT − paid amount + rounding."),
    "BR-CO-17": ("Recalculez la TVA de chaque taux : base × taux / 100, arrondie au centime.", "Recompute each rate's VAT: base × rate / 100, rounded to the cent."),
    "BR-CO-26": ("Indiquez le SIRET du fournisseur (schéma 0009) ou son numéro de TVA.", "Give the supplier's SIRET (scheme 0009) or VAT number."),
    "BR-CL-25": ("Utilisez le schéma 0009 (SIRET) ou 0225 (SIREN) pour une adresse électronique française.",
                 "Use scheme 0009 (SIRET) or 0225 (SIREN) for a French electronic address."),
}
_DEC_HINT = ("Arrondissez ce montant au centime (deux décimales au plus).", "Round this amount to the cent (two decimals at most).")
_SYNTAX_HINT = ("Retirez cet élément : la norme EN 16931 ne l'utilise pas.", "Remove this element: EN 16931 does not use it.")
_CODE_HINT = ("Remplacez la valeur par un code de la liste indiquée.", "Replace the value with a code of the list named.")

# English of the French rules, per family (BR-FR-05 for BR-FR-05_BT-22_PMT, …).
FR_RULES_EN: dict[str, str] = {
    "BR-FR-01": "An identifier (invoice number, preceding invoice) must not exceed 35 characters and uses only allowed characters.",
    "BR-FR-02": "An identifier may only contain letters, digits and the characters - + _ /.",
    "BR-FR-03": "A date must have a year between 2000 and 2099.",
    "BR-FR-04": "The document type code is not one the French reform allows (380, 389, 393, 501, 386, 500, 384, 471, 472, 473, 261, 262, 381, 396, 502, 503).",
    "BR-FR-05": "A mandatory legal note is missing (PMT recovery costs, PMD late-payment penalties, AAB discount terms).",
    "BR-FR-06": "A note subject code (PMT, PMD, AAB, TXD) may appear only once.",
    "BR-FR-08": "The business process (BT-23, billing framework) is missing or not an allowed value (B1, S1, M1, …).",
    "BR-FR-09": "A SIRET must have 14 digits and start with the SIREN.",
    "BR-FR-10": "The seller's SIREN (BT-30, scheme 0002) is mandatory and has exactly 9 digits.",
    "BR-FR-11": "For a B2B invoice, the buyer's SIREN (BT-47, scheme 0002) is mandatory and has exactly 9 digits.",
    "BR-FR-12": "The buyer's electronic address (BT-49) is mandatory.",
    "BR-FR-13": "The seller's electronic address (BT-34) is mandatory.",
    "BR-FR-15": "The VAT category code is not valid in France (S, E, AE, K, G, O, Z; not L or M).",
    "BR-FR-16": "A VAT rate is written as a percentage without « % » and must be an allowed French rate.",
    "BR-FR-17": "The attachment's qualification code (BT-123) is not in the allowed list.",
    "BR-FR-18": "At most one additional document may be described « LISIBLE » (the readable copy).",
    "BR-FR-20": "A note with subject BAR must hold B2B, B2BINT, B2C, OUTOFSCOPE or ARCHIVEONLY.",
    "BR-FR-21": "For a B2B invoice not self-billed, the buyer's electronic address (BT-49) starts with its SIREN, scheme 0225.",
    "BR-FR-22": "For a self-billed B2B invoice, the seller's electronic address (BT-34) starts with its SIREN, scheme 0225.",
    "BR-FR-23": "An electronic address may only contain letters, digits and - _ .",
    "BR-FR-24": "A private identifier may only contain letters, digits and - _ .",
    "BR-FR-25": "An electronic address must not exceed 125 characters.",
    "BR-FR-26": "A private identifier must not exceed 100 characters.",
    "BR-FR-27": "An item attribute (BG-32) needs a name (BT-160) or a name code.",
    "BR-FR-28": "An item attribute has a value or a quantity with its unit, not both.",
    "BR-FR-29": "The identifier of scheme AFL must not be empty.",
    "BR-FR-30": "The identifier of scheme AFL must not be empty.",
    "BR-FR-31": "Only one BAR note value is allowed.",
    "BR-FR-32": "A party identifier with scheme 0002 or 0231 (SIREN) has exactly 9 digits.",
    "BR-FR-BD": "Self-billing multi-vendor rule (billing framework S9, B9, M9) on GROUP lines and document type.",
    "BR-FR-CO-03": "A global discount credit note (262) needs the contract reference (BT-12) and the invoicing period (BG-14).",
    "BR-FR-CO-04": "A corrective invoice (384, 471, 472, 473) references exactly one preceding invoice (BT-25) with its date (BT-26).",
    "BR-FR-CO-05": "A credit note (261, 381, 396, 502, 503) references at least one preceding invoice (BT-25) with its date (BT-26).",
    "BR-FR-CO-07": "The due date (BT-9) must not be before the invoice date (BT-2), except for a prepayment invoice.",
    "BR-FR-CO-08": "With billing framework B4, S4 or M4 (final invoice after prepayment), the type cannot be a prepayment (386, 500, 503).",
    "BR-FR-CO-09": "With billing framework B2, S2 or M2 (already paid), the paid amount equals the total, the amount due is 0 and the due date is given.",
    "BR-FR-CO-10": "Each party identifier has a scheme, and each scheme appears once.",
    "BR-FR-CO-12": "An invoice in a currency other than EUR gives the VAT accounting currency EUR (BT-6) and the VAT total in EUR (BT-111).",
    "BR-FR-CO-14": "A seller member of a single VAT group (scheme 0231) needs the note TXD « MEMBRE_ASSUJETTI_UNIQUE ».",
    "BR-FR-CO-15": "A seller member of a single VAT group needs a tax representative (BG-11) with the group's VAT number (BT-63).",
    "BR-FR-DEC-01": "An amount has at most 2 decimals, a point as separator and at most 19 characters.",
    "BR-FR-DEC-02": "A quantity has at most 4 decimals and at most 19 characters.",
    "BR-FR-DEC-03": "A price is positive with at most 6 decimals.",
    "BR-FR-DEC-04": "A VAT rate is positive with at most 2 decimals.",
    "BR-FR-MV": "Multi-vendor rule (billing framework S8, B8, M8, S9, B9, M9) on GROUP lines, their invoices and amounts.",
}
FR_HINTS: dict[str, tuple[str, str]] = {
    "BR-FR-05": ("Ajoutez les mentions légales dans les notes : PMT (indemnité forfaitaire de 40 € pour frais de recouvrement), "
                 "PMD (pénalités de retard), AAB (escompte ou son absence).",
                 "Add the legal notes: PMT (€40 fixed recovery fee), PMD (late-payment penalties), AAB (discount or none)."),
    "BR-FR-08": ("Indiquez le cadre de facturation (BT-23), par exemple B1 pour une facture de biens, S1 de services.",
                 "Give the business process (BT-23), e.g. B1 for goods, S1 for services."),
    "BR-FR-10": ("Indiquez le SIREN du fournisseur (9 premiers chiffres du SIRET) avec le schéma 0002.",
                 "Give the supplier's SIREN (first 9 digits of the SIRET) with scheme 0002."),
    "BR-FR-12": ("Indiquez l'adresse électronique du destinataire (son SIREN, schéma 0225).",
                 "Give the recipient's electronic address (its SIREN, scheme 0225)."),
    "BR-FR-13": ("Indiquez l'adresse électronique du fournisseur (son SIREN, schéma 0225).",
                 "Give the supplier's electronic address (its SIREN, scheme 0225)."),
    "BR-FR-CO-05": ("Indiquez le numéro et la date de la facture que l'avoir corrige.",
                    "Give the number and date of the invoice the credit note corrects."),
}


# Syntax rules that follow no pattern, one by one.
SYNTAX_FR: dict[str, str] = {
    "CII-DT-037": "Le code de type de taxe (TypeCode) doit être « VAT ».",
    "CII-DT-097": "Une date au format 102 doit s'écrire AAAAMMJJ (ex. 20261202).",
    "CII-SR-046": "L'identifiant global (GlobalID) doit avoir un schéma (schemeID).",
    "CII-SR-119": "Seules des remises sont admises sur le prix unitaire (pas de frais).",
    "CII-SR-463": "Chaque remise ou frais au niveau du document (BG-20, BG-21) doit indiquer s'il s'agit d'une remise ou de frais (ChargeIndicator).",
    "CII-SR-465": "Un seul élément BT-41 (contact du vendeur) est admis dans une facture.",
    "CII-SR-466": "Un seul élément BT-56 (contact de l'acheteur) est admis dans une facture.",
    "CII-SR-467": "Tous les codes de moyen de paiement (BT-81) doivent avoir la même valeur.",
    "CII-SR-468": "Tous les libellés de moyen de paiement (BT-82) doivent avoir la même valeur.",
    "CII-SR-469": "La référence de paiement (BT-83) ne peut apparaître qu'une fois.",
    "CII-SR-470": "Indiquez l'IBAN ou un identifiant propriétaire du compte (BT-84), pas les deux.",
    "CII-SR-471": "Chaque remise ou frais au niveau du document (BG-20, BG-21) doit avoir un code de catégorie de TVA (BT-95).",
    "CII-SR-472": "Chaque remise ou frais au niveau du document (BG-20, BG-21) devrait avoir un taux de TVA (BT-96).",
    "CII-SR-474": "Une ligne ne peut avoir qu'un document référencé de type 130 (identifiant d'objet).",
    "CII-SR-475": "Un seul nom de pièce jointe (BT-123) est admis pour un document de type 916.",
    "CII-SR-476": "Une seule pièce jointe binaire (BT-125) est admise pour un document de type 916.",
    "CII-SR-457": "L'identifiant (IssuerAssignedID) d'un document de type 50 ne peut apparaître qu'une fois.",
    "CII-SR-458": "L'identifiant (IssuerAssignedID) d'un document de type 130 ne peut apparaître qu'une fois.",
    "UBL-CR-002": "Une facture UBL ne devrait pas contenir UBLVersionID, ou alors avec la valeur 2.1.",
    "UBL-CR-665": "Une référence de document additionnel (AdditionalDocumentReference) ne devrait avoir un schemeID que si son type (DocumentTypeCode) est 130.",
    "UBL-CR-666": "Une même référence de document additionnel ne devrait pas désigner à la fois l'objet facturé et une pièce jointe.",
    "UBL-CR-673": "Une même référence de document additionnel ne devrait pas désigner à la fois l'objet facturé et une description de document.",
    "UBL-SR-20": "L'identifiant du bénéficiaire ne peut apparaître qu'une fois lorsque le bénéficiaire n'est pas le vendeur.",
    "UBL-SR-21": "L'identifiant légal du bénéficiaire ne peut apparaître qu'une fois lorsque le bénéficiaire n'est pas le vendeur.",
    "UBL-SR-22": "Le nom du représentant fiscal ne peut apparaître qu'une fois lorsque le vendeur en a un.",
    "UBL-SR-23": "Le numéro de TVA du représentant fiscal ne peut apparaître qu'une fois lorsque le vendeur en a un.",
    "UBL-DT-06": "Une pièce jointe binaire doit indiquer son type MIME (attribut mimeCode).",
    "UBL-DT-07": "Une pièce jointe binaire doit indiquer son nom de fichier (attribut filename).",
    "UBL-SR-07": "Une référence à une facture antérieure doit indiquer le numéro de cette facture.",
    "UBL-SR-43": "L'identifiant de schéma n'est admis que pour l'objet facturé (document de type 130 ou 50).",
    "UBL-SR-44": "Une facture n'a qu'un identifiant de paiement (PaymentID), qui peut servir à plusieurs moyens de paiement.",
    "UBL-SR-47": "Lorsqu'il y a plusieurs codes de moyen de paiement, ils doivent être égaux.",
    "UBL-SR-48": "Chaque ligne de facture doit avoir une et une seule catégorie de TVA.",
    "UBL-SR-51": "Une adresse ne peut avoir qu'une troisième ligne.",
    "UBL-SR-53": "Le numéro de TVA (CompanyID) doit être indiqué avec le régime fiscal (PartyTaxScheme/TaxScheme/ID).",
    "UBL-SR-54": "Une facture ne peut contenir qu'une carte de paiement (BG-18).",
    "UBL-SR-55": "Une facture ne peut contenir qu'un mandat de prélèvement (BG-19).",
    "UBL-SR-56": "Une facture ne peut contenir qu'une référence de document d'origine (BT-17).",
    "UBL-SR-19": "Le nom du bénéficiaire ne peut apparaître qu'une fois lorsque le bénéficiaire n'est pas le vendeur.",
}


def _family(rule_id: str) -> str:
    for prefix in ("BR-FR-MV", "BR-FR-BD"):
        if rule_id.startswith(prefix):
            return prefix
    match = re.match(r"BR-FR-(?:CO-|DEC-)?\d+", rule_id)
    return match.group(0) if match else rule_id


def _syntax_fr(rule_id: str, en: str) -> tuple[str, tuple[str, str] | None]:
    """The syntax rules (UBL-CR/SR/DT, CII-SR/DT) in French: patterns of the official English sentences."""
    if rule_id in SYNTAX_FR:
        return SYNTAX_FR[rule_id], None
    if m := re.match(r"A UBL (invoice|credit note) (?:should|shall) not include (?:the )?(.+?)\.?$", en):
        kind = "facture" if m.group(1) == "invoice" else "un avoir"
        return f"Une {kind} UBL ne devrait pas contenir l'élément {m.group(2)} : il est hors de la norme EN 16931.".replace(
            "Une un avoir", "Un avoir"), _SYNTAX_HINT
    if m := re.match(r"(.+?) ?(?:should|shall) not be (?:present|used)\.?$", en):
        return f"L'élément ou l'attribut {m.group(1).lstrip('- ')} ne devrait pas être présent : il est hors de la norme EN 16931.", _SYNTAX_HINT
    if m := re.match(r"(.+?) (?:shall|should|must) (?:occur|exist|be present|appear)? ?(?:maximum|at most) (once|twice)(.*?)\.?$", en):
        times = "une fois" if m.group(2) == "once" else "deux fois"
        return f"L'élément {m.group(1).lstrip('- ')} ne peut apparaître qu'{times} au plus{m.group(3)}.".replace(
            " in ", " dans "), None
    if m := re.match(r"(.+?) must exist exactly once\.?$", en):
        return f"L'élément {m.group(1).lstrip('- ')} doit apparaître exactement une fois.", None
    if m := re.match(r"Only one (.+?) (?:should|shall) be present(.*?)\.?$", en):
        return f"Un seul élément {m.group(1)} est admis{m.group(2).replace('either the', 'soit le').replace(' or the ', ', soit le ')}.", None
    if re.search(r"decimal|fraction digits", en, re.I):
        return "Les montants ne doivent pas avoir plus de deux décimales.", _DEC_HINT
    if re.search(r"attribute|code list|should be|shall be|shall only|must be|MUST|shall contain|shall have", en):
        return f"Règle de syntaxe ({rule_id}) : la structure ou la valeur de cet élément ne respecte pas la norme EN 16931 " \
               f"(texte officiel : « {en} »).", None
    return f"Règle de syntaxe ({rule_id}) non respectée (texte officiel : « {en} »).", None


def explain(rule_id: str, fallback_text: str = "") -> Explanation:
    """The catalogue's entry for a rule; `fallback_text` (the report's own message) serves a rule the
    skeleton does not know (a newer stylesheet) so a report never loses its text."""
    entry = skeleton().get(rule_id, {"layer": "fr" if rule_id.startswith("BR-FR") else "en16931", "text": fallback_text})
    official = entry["text"] or fallback_text
    hint = HINTS.get(rule_id)
    if entry["layer"] == "fr":
        fr, en = official, FR_RULES_EN.get(_family(rule_id), f"French reform rule {rule_id}.")
        hint = FR_HINTS.get(_family(rule_id))
    elif rule_id in RULES_FR:
        fr, en = RULES_FR[rule_id], official
        if rule_id.startswith("BR-CL-"):
            hint = hint or _CODE_HINT
    elif m := re.fullmatch(r"BR-(S|Z|E|AE|IC|G|O|AF|AG)-(\d\d)", rule_id):
        template = _CATEGORY_FR.get(m.group(2))
        fr = template.format(c=CATEGORIES[m.group(1)]) if template else f"Règle de la catégorie de TVA « {CATEGORIES[m.group(1)]} »."
        en = official or _CATEGORY_EN.format(c=CATEGORIES[m.group(1)])
    elif rule_id.startswith("BR-DEC-"):
        terms = terms_in(official)
        fr = f"Le montant « {_fr(terms[0]) if terms else 'indiqué'} » ne doit pas avoir plus de deux décimales."
        en, hint = official, _DEC_HINT
    else:
        fr, hint = _syntax_fr(rule_id, official)
        en = official
    terms = tuple(terms_in(f"{rule_id.replace('_', ' ')} {official} {fr}"))
    return Explanation(rule_id=rule_id, layer=entry["layer"], fr=fr, en=en, terms=terms, field_term=form_field_term(list(terms)),
                       field_fr=form_field(list(terms)), field_en=form_field(list(terms), "en"),
                       hint_fr=hint[0] if hint else None, hint_en=hint[1] if hint else None)
