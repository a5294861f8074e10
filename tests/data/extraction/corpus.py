"""The extraction corpus and its scoring, shared by the accuracy test and `just bench extraction`.

A field is *right* when the value read equals the truth and its confidence reaches the threshold (a value
left as a hint counts as not found); *wrong* when it is shown (confidence ≥ threshold) with another value —
the worse miss. Fields the truth does not list are not scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True, eq=False)
class Invoice:
    path: Path
    lang: str
    layout: str
    truth: dict[str, str]


def invoices() -> list[Invoice]:
    found = []
    for folder, name in (("generated", "truth.json"), ("real", "real.json")):
        for file, entry in json.loads((HERE / name).read_text()).items():
            found.append(Invoice(HERE / folder / file, entry["lang"], entry["layout"], entry["fields"]))
    return found


def heldout(folder: Path) -> dict[str, list[Invoice]]:
    """The held-out sets of `generate_heldout.py` ({set: invoices}), generated into `folder` unless they are
    there already (keyed by the generators' source: a change regenerates them)."""
    import hashlib

    from tests.data.extraction import generate_heldout

    sources = (HERE / "generate_heldout.py", HERE / "generate.py")
    key = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]
    target = folder / key
    if not all((target / f"{name}.json").exists() for name in generate_heldout.SETS):
        generate_heldout.generate(target)
    return {name: [Invoice(target / name / file, entry["lang"], entry["layout"], entry["fields"])
                   for file, entry in json.loads((target / f"{name}.json").read_text()).items()]
            for name in generate_heldout.SETS}


@dataclass
class Score:
    right: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


def score(results: dict[Invoice, dict], threshold: float) -> tuple[dict[str, Score], dict[str, Score]]:
    """(by field, by language) scores of extraction results (`ExtractionResult.to_dict()` per invoice)."""
    by_field: dict[str, Score] = defaultdict(Score)
    by_lang: dict[str, Score] = defaultdict(Score)
    for invoice, result in results.items():
        fields = result.get("fields") or {}
        for name, expected in invoice.truth.items():
            got = fields.get(name) or {}
            shown = got.get("value") if float(got.get("confidence", 0)) >= threshold else None
            for bucket in (by_field[name], by_lang[invoice.lang], by_lang["all"]):
                bucket.total += 1
                if shown == expected:
                    bucket.right += 1
                elif shown is not None:
                    bucket.wrong.append(f"{invoice.path.name}: {name} = {shown!r}, truth {expected!r}")
    return dict(by_field), dict(by_lang)
