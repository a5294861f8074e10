"""Characters with their boxes → words, by pdfplumber's own rules (its `extract_words` with the tolerances
the reading has always used), so that a faster character source (pypdfium2) gives the reading the words it
was built and measured on. Pure: no I/O.

pdfplumber's rules, kept here step for step (pdfplumber.utils.text.WordExtractor, `use_text_flow=False`):
1. runs of consecutive characters of the same orientation (upright or rotated) are read apart;
2. in a run, characters are clustered into lines by their `top` (upright) or `x0` (rotated): sorted values
   chained while each is within the tolerance of the previous one; in a line they are sorted by `x0`
   (upright) or `top` (rotated), ties in their order in the content stream;
3. a blank character ends a word and is dropped; a character starts a new word when it lies before the
   previous one, past its end by more than the x tolerance, or off its line by more than the y tolerance;
4. a word's text joins its characters' (ligatures such as « ﬁ » spelled out), its box is theirs together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import NamedTuple

from backend.domain.invoices.reading.layout import Word

X_TOLERANCE = 2.0
Y_TOLERANCE = 2.5
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


class Char(NamedTuple):
    """One character, in PDF points from the page's top-left corner (pdfplumber's x0, top, x1, bottom)."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    upright: bool = True


def words_of(chars: Iterable[Char], x_tolerance: float = X_TOLERANCE, y_tolerance: float = Y_TOLERANCE) -> list[Word]:
    """The words of a page's characters, given in their content-stream order."""
    words: list[Word] = []
    for upright, run in groupby(chars, key=lambda c: c.upright):
        for line in _lines(list(run), upright, x_tolerance, y_tolerance):
            words.extend(_merge(word) for word in _split(line, upright, x_tolerance, y_tolerance))
    return words


def _lines(chars: list[Char], upright: bool, x_tolerance: float, y_tolerance: float) -> Iterator[list[Char]]:
    key = (lambda c: c.top) if upright else (lambda c: c.x0)
    tolerance = y_tolerance if upright else x_tolerance
    cluster: dict[float, int] = {}
    last, index = None, -1
    for value in sorted({key(c) for c in chars}):
        if last is None or value > last + tolerance:
            index += 1
        cluster[value] = index
        last = value
    order = (lambda c: c.x0) if upright else (lambda c: (c.top, c.bottom))
    in_lines = sorted(chars, key=lambda c: cluster[key(c)])  # stable: stream order within a line
    for _, line in groupby(in_lines, key=lambda c: cluster[key(c)]):
        yield sorted(line, key=order)


def _split(line: list[Char], upright: bool, x_tolerance: float, y_tolerance: float) -> Iterator[list[Char]]:
    current: list[Char] = []
    for char in line:
        if char.text.isspace():
            if current:
                yield current
            current = []
        elif current and _begins_word(current[-1], char, upright, x_tolerance, y_tolerance):
            yield current
            current = [char]
        else:
            current.append(char)
    if current:
        yield current


def _begins_word(previous: Char, char: Char, upright: bool, x_tolerance: float, y_tolerance: float) -> bool:
    if upright:
        return char.x0 < previous.x0 or char.x0 > previous.x1 + x_tolerance or abs(char.top - previous.top) > y_tolerance
    # rotated text reads top to bottom: the tolerances swap their axes
    return char.top < previous.top or char.top > previous.bottom + y_tolerance or abs(char.x0 - previous.x0) > x_tolerance


def _merge(chars: list[Char]) -> Word:
    return Word("".join(LIGATURES.get(c.text, c.text) for c in chars), min(c.x0 for c in chars), min(c.top for c in chars),
                max(c.x1 for c in chars), max(c.bottom for c in chars))
