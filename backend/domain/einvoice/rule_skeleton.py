"""The skeleton of the anomaly catalogue: every rule id of the four official stylesheets, with its text.

`python -m backend.domain.einvoice.rule_skeleton` rewrites `rule_skeleton.json` from the stylesheets in
`xslt/` (run it after replacing one); a unit test fails while the file and the stylesheets disagree, so no
rule can reach a report without an entry in `rule_catalogue.py`.

Each entry: the layer ("en16931" or "fr"), the syntaxes whose stylesheet holds it, its flag, and the
stylesheet's own message with computed values replaced by « … » (English for EN 16931, French for BR-FR).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

XSLT_DIR = Path(__file__).parent / "xslt"
SKELETON = Path(__file__).parent / "rule_skeleton.json"
SOURCES = {("en16931", "UBL"): XSLT_DIR / "EN16931-UBL-validation.xslt",
           ("en16931", "CII"): XSLT_DIR / "EN16931-CII-validation.xslt",
           ("fr", "UBL"): XSLT_DIR / "fr-ctc" / "BR-FR-Flux2-Schematron-UBL.xslt",
           ("fr", "CII"): XSLT_DIR / "fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt"}
_ASSERT = re.compile(r'<xsl:attribute name="id">([^<]+)</xsl:attribute>\s*<xsl:attribute name="flag">([^<]+)</xsl:attribute>'
                     r'.*?<svrl:text>(.*?)</svrl:text>', re.S)
_VALUE = re.compile(r"<xsl:value-of[^>]*/>")
_TAG = re.compile(r"<[^>]+>")
# The French stylesheets open most messages with their id in one of several spellings: « [BR-FR-01/BT-1] : »,
# « [BR-FR-02/BT-1 : », « BR-FR-16/BT-96 ou BT-103 : », « [BR-FR-MV-11/BT-128]- ».
FR_PREFIX = re.compile(r"^\[?BR-FR-[A-Z0-9_/-]*(?: ou BT-\d+)?(?:/[A-Z0-9/-]+)?\]?\s*[:-]\s*,?\s*")


def clean_text(rule_id: str, raw: str) -> str:
    """The message without markup, computed values as « … », and without the rule id it repeats
    (« [BR-CO-15]-… », « BR-FR-01/BT-1 : … »)."""
    text = " ".join(_TAG.sub("", _VALUE.sub("…", raw)).split())
    text = re.sub(rf"^\[{re.escape(rule_id)}\]\s*-?\s*", "", text)
    return FR_PREFIX.sub("", text)


def build() -> dict[str, dict]:
    rules: dict[str, dict] = {}
    for (layer, syntax), path in SOURCES.items():
        for rule_id, flag, raw in _ASSERT.findall(path.read_text(encoding="utf-8")):
            entry = rules.setdefault(rule_id, {"layer": layer, "syntaxes": [], "flag": flag, "text": clean_text(rule_id, raw)})
            entry["syntaxes"].append(syntax)
    return dict(sorted(rules.items()))


def main() -> None:
    SKELETON.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
