"""Texts of the extraction's display on the deposit form (issue 18)."""

from shared.i18n import register

register({
    "extraction.preview_alt": ("Page {page} du PDF déposé", "Page {page} of the deposited PDF"),
    "extraction.preview_caption": ("Survolez ou sélectionnez un champ prérempli : son emplacement dans le PDF est encadré.",
                                   "Hover or focus a prefilled field: where it was read in the PDF is outlined."),
    "extraction.ocr": ("Ce PDF est une image : son texte a été reconnu automatiquement (OCR). Chaque champ prérempli est à vérifier.",
                       "This PDF is an image: its text was recognised automatically (OCR). Check every prefilled field."),
    "extraction.low": ("à vérifier : « {value} » ? (p.{page}, {confidence} %)", "to check: “{value}”? (p.{page}, {confidence}%)"),
    "extraction.low_short": ("à vérifier : « {value} » ?", "to check: “{value}”?"),
    "extraction.level.high": ("sûr", "sure"),
    "extraction.level.medium": ("à vérifier", "check it"),
})
