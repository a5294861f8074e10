"""Words with their positions → lines → segments (the runs of words a wide gap separates: a table's cells,
a two-column header's halves). Pure: no I/O; the PDF or OCR reader gives the words.

Coordinates are PDF points from the page's top-left corner; boxes are given to the form as fractions of
the page (x0, top, x1, bottom), so a preview of any size can show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backend.domain.invoices.reading import labels
from backend.domain.invoices.reading.values import fold


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    rotation: int = 0   # degrees clockwise the page is shown turned by (/Rotate); the words are as written


def shown_box(box: tuple[float, float, float, float], rotation: int) -> tuple[float, float, float, float]:
    """A box in fractions of the page as written → the same box on the page as shown, turned by `rotation`."""
    x0, top, x1, bottom = box
    turned = {90: (1 - bottom, x0, 1 - top, x1), 180: (1 - x1, 1 - bottom, 1 - x0, 1 - top), 270: (top, 1 - x1, bottom, 1 - x0)}
    return tuple(round(v, 4) for v in turned[rotation]) if rotation in turned else box


@dataclass
class Segment:
    words: list[Word]
    text: str = ""
    folded: str = ""
    starts: list[int] = field(default_factory=list)  # each word's offset in text

    def __post_init__(self) -> None:
        parts, offset = [], 0
        for word in self.words:
            self.starts.append(offset)
            parts.append(word.text)
            offset += len(word.text) + 1
        self.text = " ".join(parts)
        self.folded = fold(self.text)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    def box(self, start: int = 0, end: int | None = None) -> tuple[float, float, float, float]:
        """The box of the words covering text[start:end]."""
        end = len(self.text) if end is None else end
        chosen = [w for w, s in zip(self.words, self.starts) if s < end and s + len(w.text) > start] or self.words
        return (min(w.x0 for w in chosen), min(w.top for w in chosen), max(w.x1 for w in chosen), max(w.bottom for w in chosen))


@dataclass
class Line:
    page: Page
    index: int               # order in the document (pages one after the other)
    segments: list[Segment]
    top: float
    bottom: float
    table_header: bool = False

    @property
    def text(self) -> str:
        return "   ".join(s.text for s in self.segments)

    @property
    def folded(self) -> str:
        return "   ".join(s.folded for s in self.segments)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 4.0)

    def in_footer(self) -> bool:
        return self.top > self.page.height * 0.8


def lines_of(pages: list[Page]) -> list[Line]:
    """The lines of the pages in reading order, each split into segments at wide gaps."""
    lines: list[Line] = []
    for page in pages:
        rows: list[list[Word]] = []
        # a word written up or down the page (a margin's « Copyright … » turned 90°) spans many lines: read
        # alone, after the page's lines, it no longer merges them into one
        vertical = [w for w in page.words if _is_vertical(w)]
        for word in sorted((w for w in page.words if not _is_vertical(w)), key=lambda w: (w.top, w.x0)):
            middle = (word.top + word.bottom) / 2
            for row in reversed(rows[-3:]):
                top, bottom = min(w.top for w in row), max(w.bottom for w in row)
                if top - 1 <= middle <= bottom + 1:
                    row.append(word)
                    break
            else:
                rows.append([word])
        rows.extend([word] for word in vertical)
        for row in rows:
            row.sort(key=lambda w: w.x0)
            height = max(w.bottom - w.top for w in row)
            segments, current = [], [row[0]]
            for previous, word in zip(row, row[1:]):
                if word.x0 - previous.x1 > max(5.0, 0.9 * height):
                    segments.append(Segment(current))
                    current = []
                current.append(word)
            segments.append(Segment(current))
            line = Line(page, len(lines), segments, min(w.top for w in row), max(w.bottom for w in row))
            line.table_header = _is_table_header(line)
            lines.append(line)
    return lines


def _is_vertical(word: Word) -> bool:
    height = word.bottom - word.top
    return len(word.text) > 1 and height > 30 and height > 3 * (word.x1 - word.x0)


def _is_table_header(line: Line) -> bool:
    """A line of column titles: at least three cells, two of them an item table's (description, quantity,
    unit price…), and no amount in it."""
    if len(line.segments) < 3:
        return False
    columns = sum(1 for s in line.segments if labels.TABLE_RE.search(s.folded))
    return columns >= 2 and not any(re.search(r"\d[.,]\d{2}(?!\d)", s.text) for s in line.segments)


def below(lines: list[Line], line: Line, segment: Segment, *, reach: float = 2.6) -> list[tuple[Line, Segment]]:
    """The segments under `segment` (overlapping it horizontally) in the next lines of its page, nearest first."""
    found = []
    for other in lines[line.index + 1: line.index + 4]:
        if other.page is not line.page or other.top - line.bottom > reach * line.height:
            break
        # in a row of columns, the cell under the label is the one aligned with it, not a long neighbour
        cells = [c for c in other.segments if min(c.x1, segment.x1) - max(c.x0, segment.x0) > 0
                 or abs(c.x0 - segment.x0) < 6 or abs(c.x1 - segment.x1) < 6]
        cells.sort(key=lambda c: min(abs(c.x0 - segment.x0), abs(c.x1 - segment.x1)))
        found += [(other, c) for c in cells]
    return found


def above(lines: list[Line], line: Line, segment: Segment, *, depth: int = 9) -> list[tuple[Line, Segment]]:
    """The segments over `segment` (same column) in the previous lines of its page, nearest first, stopping
    at a wide vertical gap (the end of the block)."""
    found = []
    previous_top = line.top
    for other in reversed(lines[max(0, line.index - depth): line.index]):
        if other.page is not line.page or previous_top - other.bottom > 3.2 * line.height:
            break
        previous_top = other.top
        for candidate in other.segments:
            overlap = min(candidate.x1, segment.x1) - max(candidate.x0, segment.x0)
            if overlap > 0 or abs(candidate.x0 - segment.x0) < 8:
                found.append((other, candidate))
    return found
