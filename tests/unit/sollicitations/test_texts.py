"""Every text the sollicitations screens name exists in French and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import shared.i18n_sollicitations  # noqa: F401
import shared.i18n_support  # noqa: F401
from shared.i18n import _CATALOG

ROOT = Path(__file__).resolve().parents[3]
FILES = ["frontend/screens/sollicitations.py", "frontend/components/help_request.py"]
KEY = re.compile(r"""\bt\(\s*f?["']([a-z_.{}\[\]'" -]+?)["']""")


def keys() -> set[str]:
    found = set()
    for name in FILES:
        for key in KEY.findall((ROOT / name).read_text()):
            if "{" not in key:
                found.add(key)
    return found


def test_the_screens_name_texts():
    assert {"help.open", "soll.title", "queue.title"} <= keys()


@pytest.mark.parametrize("key", sorted(keys()))
def test_each_text_has_both_languages(key):
    assert key in _CATALOG, key
    assert _CATALOG[key]["fr"] and _CATALOG[key]["en"]


@pytest.mark.parametrize("kind", ["lot", "facture", "ecran"])
def test_each_subject_has_its_text(kind):
    assert f"help.about.{kind}" in _CATALOG
