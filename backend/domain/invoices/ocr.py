"""Words of a scanned PDF (no text layer), recognised by Tesseract (Debian's `tesseract-ocr` with French and
English; `just ocr-deps` installs it).

Runs inside the reading pool's child (reading_pool.py): each page is rendered by pypdfium2 and given to the
`tesseract` binary through a subprocess with a timeout, so a slow page cannot hold the reading past its
limit. Without the binary, a scan simply yields no words (the form is then typed by hand).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from backend.domain.invoices.reading.layout import Page, Word

log = logging.getLogger(__name__)

DPI = 150               # Tesseract reads 10-pt text well from 150 dpi; more costs time, not accuracy
PAGE_TIMEOUT = 12.0     # seconds for one page (≈0.7 s of CPU; the rest is waiting on a loaded machine)
TOTAL_TIMEOUT = 17.0    # for all pages: below the reading pool's TIME_LIMIT (20 s)
MIN_CONFIDENCE = 40     # Tesseract's own word confidence (0-100) under which a word is noise


def available() -> bool:
    return shutil.which("tesseract") is not None


def read_pages(path: Path, max_pages: int) -> list[Page]:
    if not available():
        return []
    import pypdfium2

    pages: list[Page] = []
    deadline = time.monotonic() + TOTAL_TIMEOUT
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="chorale-ocr-") as folder:
            for index in range(min(len(pdf), max_pages)):
                left = deadline - time.monotonic()
                if left <= 1:
                    break
                page = pdf[index]
                width, height = page.get_size()
                image = Path(folder) / f"p{index}.png"
                page.render(scale=DPI / 72).to_pil().convert("L").save(image)
                page.close()
                words = _recognise(image, min(PAGE_TIMEOUT, left), DPI / 72)
                pages.append(Page(index + 1, float(width), float(height), tuple(words)))
    finally:
        pdf.close()
    return pages


def _recognise(image: Path, timeout: float, scale: float) -> list[Word]:
    try:
        # one thread: the reading pool already runs one child per core
        done = subprocess.run(["tesseract", str(image), "stdout", "-l", "fra+eng", "--psm", "3", "tsv"],
                              capture_output=True, timeout=timeout, check=False, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except (subprocess.TimeoutExpired, OSError) as error:
        log.warning("OCR stopped: %s", type(error).__name__)
        return []
    return words_of_tsv(done.stdout.decode("utf-8", "replace"), scale)


def words_of_tsv(tsv: str, scale: float) -> list[Word]:
    """Tesseract's TSV (one row per word, level 5) → words in PDF points."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            if row.get("level") != "5" or not text or float(row.get("conf") or -1) < MIN_CONFIDENCE:
                continue
            left, top, width, height = (float(row[k]) / scale for k in ("left", "top", "width", "height"))
        except (TypeError, ValueError):
            continue
        words.append(Word(text, left, top, left + width, top + height))
    return words
