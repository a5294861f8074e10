"""Finding an invoice's fields in its lines: each label's value to its right or below it, then the
candidates weighed against each other. Pure: no I/O.

1. Labels (labels.py) are matched in each segment; a longer label claims its words (« Date d'échéance »
   is not « Date »), and a table's header line announces columns, not values.
2. A label's value is looked for in the rest of its segment, then in the next segment on its line, then
   under it; the farther, the less sure (POSITION).
3. Consistency decides between the candidates: HT + TVA = TTC, the VAT lines sum to the TVA, net to pay
   ≤ TTC (`_amounts`); a SIRET's role comes from the words heading its block (`_parties`).
Every field comes out with its value, a confidence in [0, 1] and its place (page, box).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product

from backend.domain.invoices.reading import labels, values
from backend.domain.invoices.reading.layout import Line, Page, Segment, above, below, lines_of

# Under this confidence a field is not prefilled: the form shows what was read as a hint instead.
THRESHOLD = 0.6
POSITION = {"same": 0.95, "right": 0.92, "below": 0.85}
AMOUNT_FIELDS = ("total_ht", "total_tva", "total_ttc", "net_a_payer")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Found:
    name: str
    value: str
    confidence: float
    page: int | None = None
    box: tuple[float, float, float, float] | None = None  # fractions of the page: x0, top, x1, bottom
    snippet: str = ""
    role: str | None = None

    def with_confidence(self, confidence: float) -> Found:
        return Found(self.name, self.value, max(0.0, min(1.0, confidence)), self.page, self.box, self.snippet, self.role)


def _place(line: Line, segment: Segment, start: int, end: int) -> tuple[int, tuple[float, float, float, float]]:
    x0, top, x1, bottom = segment.box(start, end)
    page = line.page
    return page.number, (round(x0 / page.width, 4), round(top / page.height, 4), round(x1 / page.width, 4),
                         round(bottom / page.height, 4))


def _found(name: str, value: str, confidence: float, line: Line, segment: Segment, start: int, end: int, role=None) -> Found:
    page, box = _place(line, segment, start, end)
    return Found(name, value, round(confidence, 3), page, box, line.text[:160], role)


# Label matching --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    name: str
    weight: float
    line: Line
    segment: Segment
    start: int
    end: int


def _labels(lines: list[Line]) -> list[Label]:
    found = []
    for line in lines:
        for segment in line.segments:
            if not _LETTERS.search(segment.folded) or not labels.ANY_LABEL_RE.search(segment.folded):
                continue  # figures only (a value, never a label), or no label
            matches = [(m.start(), m.end(), name, weight) for name, patterns in labels.COMPILED.items()
                       for pattern, weight in patterns for m in pattern.finditer(segment.folded) if m.end() > m.start()]
            matches += [(m.start(), m.end(), None, 0.0) for m in labels.IGNORED_RE.finditer(segment.folded)]
            # longest first; a match overlapping a longer one is dropped, unless it is the same field
            matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
            kept: list[tuple[int, int, str | None, float]] = []
            for match in matches:
                if any(match[0] < k[1] and k[0] < match[1] and not (k[2] == match[2] and k[2] is not None) for k in kept):
                    continue
                if any(k[2] == match[2] and match[0] < k[1] and k[0] < match[1] for k in kept):
                    continue
                kept.append(match)
            kept.sort()
            for start, end, name, weight in kept:
                if name is None:
                    continue
                if weight == labels.CONTEXTUAL:  # « du », « vom »: a date's label right after an invoice number's
                    weight = 0.9 if any(k[2] == "invoice_number" and k[1] <= start for k in kept) else 0.45
                elif weight == labels.TITLE and any(k[3] == labels.CONTEXTUAL and k[0] >= end for k in kept):
                    weight = 0.95  # « Facture F-12 du 3 mars 2026 »: a title holding a number and its date
                found.append(Label(name, weight, line, segment, start, end))
    return _dated_under_number(lines, found)


def _dated_under_number(lines: list[Line], found: list[Label]) -> list[Label]:
    """« du 15/04/2026 » opening the cell right under « Facture FC-12 »: the invoice's date, as surely as
    when both share a line. « N° 12 », « # INV-12 » are the invoice's number right under its title (or in
    its cell), nowhere else."""
    titles = {id(label.segment) for label in found if label.name == "invoice_number" and label.weight == labels.TITLE
              and re.fullmatch(r"[a-z ]+", label.segment.folded.strip())}
    numbered = []
    for label in found:
        if label.weight == labels.BARE_NUMBER:
            over = above(lines, label.line, label.segment, depth=1)
            sure = label.start > 0 and any(k.name == "invoice_number" and k.weight == labels.TITLE and k.segment is label.segment for k in found)
            sure = sure or (label.start == 0 and any(id(segment) in titles for _, segment in over))
            if not sure:
                continue
            label = Label(label.name, 0.9, label.line, label.segment, label.start, label.end)
        numbered.append(label)
    found = numbered
    numbers = {id(label.segment) for label in found if label.name == "invoice_number"}
    out = []
    for label in found:
        if label.name == "invoice_date" and label.weight == 0.45 and label.segment.folded[:label.start].strip() == "":
            over = above(lines, label.line, label.segment, depth=1)
            if any(id(segment) in numbers for _, segment in over):
                label = Label(label.name, 0.9, label.line, label.segment, label.start, label.end)
        out.append(label)
    return out


_LETTERS = re.compile(r"[a-z]\.?[a-z]")  # « p.o.# » too
_SEPARATORS = " :.#-–—°º/()\t*=»«"


def _value_places(lines: list[Line], label: Label, finder, *, amounts: bool = False):
    """(line, segment, offset, confidence factor) where the label's value may start: the rest of its
    segment, the next segments on its line, the segments below it."""
    rest = label.end
    yield label.line, label.segment, rest, POSITION["same"]
    # words after the label (« Commande client ») make a value further away less likely
    penalty = 0.8 if label.segment.text[rest:].strip(_SEPARATORS) and not amounts else 1.0
    position = label.line.segments.index(label.segment)
    for segment in label.line.segments[position + 1: position + (4 if amounts else 2)]:
        yield label.line, segment, 0, POSITION["right"] * penalty
    if label.line.table_header:
        return
    for line, segment in below(lines, label.line, label.segment)[:2]:
        yield line, segment, 0, POSITION["below"] * penalty


def _first_value(lines: list[Line], label: Label, finder, labelled: set[int]) -> Found | None:
    for line, segment, offset, factor in _value_places(lines, label, finder):
        if offset == 0 and id(segment) in labelled:
            continue  # the next cell is another label, not this one's value
        text = segment.text[offset:]
        hit = finder(text)
        if hit is None:
            continue
        value, start, end = hit
        gap = text[:start].strip(_SEPARATORS)
        if offset == 0 and gap:
            continue  # under or right of the label, the value opens its cell
        if gap and len(gap) > 14:
            continue
        closeness = 1.0 if not gap else 0.85
        found = _found(label.name, value, label.weight * factor * closeness, line, segment, offset + start, offset + end)
        if line is not label.line:  # the snippet shows the label too
            found = Found(found.name, found.value, found.confidence, found.page, found.box,
                          f"{label.segment.text} … {segment.text}"[:160], found.role)
        return found
    return None


# Amounts ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Amount:
    name: str
    value: Decimal
    confidence: float
    found: Found
    rate: Decimal | None = None


def _amount_after(lines: list[Line], label: Label) -> Amount | None:
    skip_right = False
    for line, segment, offset, factor in _value_places(lines, label, None, amounts=True):
        if skip_right and factor < POSITION["right"] + 0.001 and line is label.line:
            continue
        text = segment.text[offset:]
        amounts = values.find_amounts(text)
        if not amounts:
            if factor == POSITION["right"] and re.sub(r"[\s€$£%.,\d:]|eur|chf|usd|gbp|ttc|ht", "", values.fold(text)):
                skip_right = True  # another cell's words come first: the value is not to the right
            continue
        with_decimals = [a for a in amounts if a[3]] or amounts
        value, start, end, decimals = with_decimals[-1] if offset else with_decimals[0]
        if label.name == "total_tva" and factor == POSITION["same"]:
            # « TVA 20 % sur 100,00 : 20,00 », « USt. 19 % auf 804,35 € | 152,83 € »: the tax is the line's last amount
            later = _later_amount(label.line, segment)
            if later is not None:
                line, segment, (value, start, end, decimals) = label.line, later[0], later[1]
                offset = 0
            elif len(with_decimals) > 1:
                value, start, end, decimals = with_decimals[-1]
        gap = values.fold(text[:start])
        gap = re.sub(r"\d{1,2}(?:[.,]\d{1,2})?\s?%|eur|chf|usd|gbp|€|\$|£|ttc|t\.t\.c\.?|h\.t\.?|\bht\b|sur|on|of|auf|\(|\)", "", gap)
        if offset == 0 and gap.strip(_SEPARATORS):
            continue
        closeness = 1.0 if len(gap.strip(_SEPARATORS)) <= 3 else 0.8
        confidence = label.weight * factor * closeness * (1.0 if decimals else 0.85)
        if line is not label.line:
            column = _column_below(lines, line, label.segment)
            if len(column) > 1:  # a column of amounts under its title (a VAT summary's « Netto | MwSt. | Brutto »)
                *parts, last = column
                if abs(sum(p[0] for p in parts) - last[0]) <= CENT * len(parts):
                    value, line, segment, start, end = last  # its last row sums the others: the total
                    offset = 0
                else:
                    confidence *= 0.5  # which row is the invoice's total is unknown
        found = _found(label.name, str(abs(value).quantize(CENT)), confidence, line, segment, offset + start, offset + end)
        # a rate in the label's own cell (« TVA 20 % ») makes it one rate's VAT; a rate elsewhere on the line
        # belongs to a neighbouring table
        rate = labels.RATE_RE.search(label.segment.text if segment is label.segment else label.segment.text[label.start:])
        return Amount(label.name, abs(value), confidence, found, Decimal(rate[1].replace(",", ".")) if rate else None)
    return None


def _column_below(lines: list[Line], first: Line, title: Segment) -> list[tuple[Decimal, Line, Segment, int, int]]:
    """The amounts in the column of `title` from line `first` down, while each line holds one in that column."""
    column, previous = [], None
    for line in lines[first.index: first.index + 8]:
        if line.page is not first.page or (previous is not None and line.top - previous.bottom > 2.6 * previous.height):
            break
        cells = [c for c in line.segments if min(c.x1, title.x1) - max(c.x0, title.x0) > 0]
        amounts = [(v, c, s, e) for c in cells for v, s, e, d in values.find_amounts(c.text) if d]
        if len(amounts) != 1:
            break
        value, cell, start, end = amounts[0]
        column.append((value, line, cell, start, end))
        previous = line
    return column


def _later_amount(line: Line, segment: Segment):
    """The last amount in the cells right of `segment` on its line, if the cell right after holds amounts only."""
    position = line.segments.index(segment)
    for cell in line.segments[position + 1: position + 3]:
        amounts = [a for a in values.find_amounts(cell.text) if a[3]]
        if not amounts or re.sub(r"[\s€$£%.,\d\-]|eur|chf|usd|gbp", "", values.fold(cell.text)):
            return None
        return cell, amounts[-1]
    return None


def _item_rows(lines: list[Line], found_labels: list[Label]) -> set[int]:
    """The lines of item tables: from a table's header to the first line announcing a total (or the page's
    end). A row's « TVA 20 % » cell is the item's rate, its amount the item's, never a total."""
    totals = {label.line.index for label in found_labels if label.name in AMOUNT_FIELDS
              and not (label.name == "total_tva" and labels.RATE_RE.search(label.segment.text[label.start:]) and label.weight < 1.0)}
    rows, in_items, page = set(), False, None
    for line in lines:
        if line.page is not page:
            in_items, page = False, line.page
        if line.table_header:
            in_items = True
        elif line.index in totals:
            in_items = False
        elif in_items:
            rows.add(line.index)
    return rows


def _vat_lines(lines: list[Line], items: set[int]) -> list[Amount]:
    """Lines of a VAT breakdown: a rate, a base and the VAT on it (base × rate = VAT, to the cent). An item
    table's rows (`items`) are not: 5 × 1 140,95 at 20 % makes 1 140,95 by chance."""
    found, seen = [], set()
    for line in lines:
        if line.table_header or line.index in items:
            continue
        rate_match = labels.RATE_RE.search(line.text)
        if not rate_match:
            continue
        rate = Decimal(rate_match[1].replace(",", "."))
        amounts = []
        for segment in line.segments:
            amounts += [(v, segment, s, e) for v, s, e, d in values.find_amounts(segment.text) if d]
        for (base, _, _, _), (vat, segment, start, end) in product(amounts, amounts):
            if base > vat > 0 and abs(base * rate / 100 - vat) <= Decimal("0.015") and (rate, base, vat) not in seen:
                seen.add((rate, base, vat))
                found.append(Amount("vat_line", vat, 0.8, _found("vat_line", str(vat), 0.8, line, segment, start, end), rate))
                found.append(Amount("vat_base", base, 0.6, _found("vat_base", str(base), 0.6, line, segment, start, end), rate))
                break
    return found


def _amounts(lines: list[Line], found_labels: list[Label], *, exempt: bool) -> dict[str, Found]:
    candidates: dict[str, list[Amount]] = {name: [] for name in AMOUNT_FIELDS}
    rated_vat: list[Amount] = []
    items = _item_rows(lines, found_labels)
    breakdown = _vat_lines(lines, items)
    # a VAT line's own reading (base × rate = VAT) beats its label's first amount (« USt. 19 %  198,00  37,62 »)
    breakdown_lines = {(a.found.page, a.found.snippet) for a in breakdown}
    for label in found_labels:
        if label.name not in AMOUNT_FIELDS or label.line.index in items:
            continue
        amount = _amount_after(lines, label)
        if amount is None:
            continue
        if label.name == "total_tva" and amount.rate is not None and label.weight < 1.0:
            # « TVA 20 % », « dont TVA 5,5 % »: one rate's VAT, not the total
            if (amount.found.page, amount.found.snippet) not in breakdown_lines:
                rated_vat.append(amount)
            continue
        # the totals block comes last: among equals, the lowest on the last page wins
        candidates[label.name].append(Amount(amount.name, amount.value, amount.confidence + 0.0001 * label.line.index,
                                             amount.found, amount.rate))
    by_rate = {}  # one rate's VAT may come in several lines (goods, shipping): distinct amounts add up
    for amount in rated_vat + [a for a in breakdown if a.name == "vat_line"]:
        by_rate.setdefault((amount.rate, amount.value), amount)
    if by_rate:
        total = sum((a.value for a in by_rate.values()), Decimal("0"))
        first = next(iter(by_rate.values()))
        confidence = 0.75 if len(by_rate) > 1 else first.confidence
        candidates["total_tva"].append(Amount("total_tva", total, confidence, Found(
            "total_tva", str(total.quantize(CENT)), confidence, first.found.page, first.found.box if len(by_rate) == 1 else None,
            first.found.snippet)))
    bases = {a.rate: a for a in breakdown if a.name == "vat_base"}
    if bases:
        total = sum((a.value for a in bases.values()), Decimal("0"))
        first = next(iter(bases.values()))
        candidates["total_ht"].append(Amount("total_ht", total, 0.5, Found("total_ht", str(total), 0.5, first.found.page, None,
                                                                         first.found.snippet)))
    if exempt:  # « TVA non applicable », « reverse charge »: no VAT, so HT = TTC
        candidates["total_tva"].append(Amount("total_tva", Decimal("0.00"), 0.5, Found("total_tva", "0.00", 0.5)))
        if not candidates["total_ht"]:
            candidates["total_ht"] += [Amount("total_ht", a.value, 0.5, a.found) for a in candidates["total_ttc"]]
    for name in ("total_ht", "total_tva"):
        # partial totals (« Positionen netto », « Versandkosten netto »): their sum is a candidate, which only
        # consistency with the other totals can make sure
        labelled = sorted({a.value: a for a in candidates[name] if a.found.box is not None}.values(), key=lambda a: -a.confidence)[:4]
        for size in (2, 3):
            for group in combinations(labelled, size):
                total = sum((a.value for a in group), Decimal("0"))
                first = group[0]
                candidates[name].append(Amount(name, total, min(a.confidence for a in group) * 0.6,
                                               Found(name, str(total), 0.5, first.found.page, None, first.found.snippet)))
    for name in AMOUNT_FIELDS:
        best: dict[Decimal, Amount] = {}
        for amount in candidates[name]:
            if amount.value not in best or amount.confidence > best[amount.value].confidence:
                best[amount.value] = amount
        candidates[name] = sorted(best.values(), key=lambda a: -a.confidence)[:8]
    # a net to pay that says « TTC », or the only total, is the TTC too
    ttc_options = candidates["total_ttc"] + [Amount("total_ttc", a.value, a.confidence * 0.8, a.found) for a in candidates["net_a_payer"]]
    vat_lines_total = sum((a.value for a in by_rate.values()), Decimal("0")) if by_rate else None
    best_combo, best_score, consistent = (None, None, None), -1.0, False
    agreeing: list[tuple[float, tuple]] = []
    for ht, tva, ttc in product([None, *candidates["total_ht"]], [None, *candidates["total_tva"]], [None, *ttc_options]):
        score = sum(a.confidence for a in (ht, tva, ttc) if a is not None)
        agrees = ht is not None and tva is not None and ttc is not None and abs(ht.value + tva.value - ttc.value) <= CENT
        if tva is not None and ((ht is not None and tva.value > ht.value * Decimal("0.3")) or (ttc is not None and tva.value >= ttc.value > 0)):
            continue  # no VAT rate reaches 30 %
        if agrees:
            score += 3.0
            if vat_lines_total is not None and tva.value == vat_lines_total:
                score += 0.5  # the VAT lines sum to this total
            agreeing.append((score, (ht.value, tva.value, ttc.value)))
        elif ht is not None and ttc is not None and ht.value > ttc.value:
            continue
        if score > best_score:
            best_combo, best_score, consistent = (ht, tva, ttc), score, agrees
    # two different sets of totals that each add up, about as surely: which is the invoice's is unknown
    contested = consistent and any(values_ != tuple(a.value for a in best_combo) and score > best_score - 0.5
                                   for score, values_ in agreeing)
    result: dict[str, Found] = {}
    for name, amount in zip(("total_ht", "total_tva", "total_ttc"), best_combo):
        if amount is None:
            continue
        if consistent and contested:
            confidence = min(amount.confidence, 0.55)
        elif consistent:
            confidence = max(amount.confidence, 0.97)
        elif all(best_combo):  # three totals that disagree: one of them is misread, none is shown
            confidence = min(amount.confidence, 0.5)
        else:  # nothing to check it against
            confidence = min(amount.confidence, 0.9) * 0.75
        result[name] = Found(name, str(amount.value.quantize(CENT)), round(confidence, 3), amount.found.page, amount.found.box,
                             amount.found.snippet)
    ttc = best_combo[2]
    nets = [a for a in candidates["net_a_payer"] if ttc is None or a.value <= ttc.value + CENT]
    if nets:
        net = nets[0]
        confidence = net.confidence
        if ttc is not None and net.value == ttc.value and consistent:
            confidence = max(confidence, 0.97)
        elif ttc is not None and net.value != ttc.value:
            confidence = min(confidence, 0.85)  # a prepayment: possible, rarer
        result["net_a_payer"] = Found("net_a_payer", str(net.value.quantize(CENT)), round(confidence, 3), net.found.page,
                                      net.found.box, net.found.snippet)
    return result


# Parties: SIRET, VAT numbers --------------------------------------------------------------------------

def _role(lines: list[Line], line: Line, segment: Segment, start: int) -> tuple[str | None, float]:
    """Whose identifier this is: the party words before it on its line, else over it in its block, else
    the footer's legal mentions (the issuer's)."""
    position = line.segments.index(segment)
    left = segment.folded[:start] + " " + " ".join(s.folded for s in line.segments[:position])
    own_label = segment.folded[:start] if segment.folded[:start].strip() else (line.segments[position - 1].folded if position else "")
    if labels.YOURS_RE.search(own_label):
        return "recipient", 0.9  # « Ihre USt-IdNr. », « Your VAT number »
    for pattern, role in ((labels.RECIPIENT_RE, "recipient"), (labels.SUPPLIER_RE, "supplier")):
        if pattern.search(segment.folded[:start]):
            return role, 0.92
    recipient, supplier = labels.RECIPIENT_RE.search(left), labels.SUPPLIER_RE.search(left)
    if recipient or supplier:
        return ("recipient" if recipient and (not supplier or recipient.start() > supplier.start()) else "supplier"), 0.9
    for other_line, other in above(lines, line, segment):
        recipient, supplier = labels.RECIPIENT_RE.search(other.folded), labels.SUPPLIER_RE.search(other.folded)
        if recipient and not supplier:
            return "recipient", 0.85
        if supplier and not recipient:
            return "supplier", 0.85
    if line.in_footer():
        return "supplier", 0.75
    if line.top < line.page.height * 0.12 and segment.x0 < line.page.width / 2 and line.page.number == 1:
        return "supplier", 0.7  # the letterhead
    return None, 0.5


_NATIONAL_VAT_WORDS = re.compile(r"\b(?:p\.?\s?iva|partita|n\.?i\.?f|c\.?i\.?f)\b")


def _parties(lines: list[Line]) -> tuple[dict[str, Found], list[Found]]:
    sirets: list[Found] = []
    vat_ids: list[Found] = []
    for line in lines:
        for segment in line.segments:
            for value, start, end in values.find_sirets(segment.text):
                role, confidence = _role(lines, line, segment, start)
                sirets.append(_found("siret", value, confidence, line, segment, start, end, role))
            if re.search(r"[A-Z]{2}", segment.text) or _NATIONAL_VAT_WORDS.search(segment.folded):
                hit = values.find_vat_id(segment.text) or values.find_national_vat_id(segment.text)
                if hit:
                    role, confidence = _role(lines, line, segment, hit[1])
                    vat_ids.append(_found("vat_id", hit[0], confidence, line, segment, hit[1], hit[2], role))
    sirets, vat_ids = _same_company(sirets, vat_ids)
    result: dict[str, Found] = {}
    unique: dict[str, Found] = {}
    for siret in sirets:  # the same SIRET printed twice keeps its surest role
        if siret.value not in unique or siret.confidence > unique[siret.value].confidence:
            unique[siret.value] = siret
    candidates = sorted(unique.values(), key=lambda f: -f.confidence)
    for role, name in (("supplier", "supplier_siret"), ("recipient", "recipient_siret")):
        chosen = [f for f in candidates if f.role == role]
        if chosen:
            result[name] = Found(name, chosen[0].value, chosen[0].confidence, chosen[0].page, chosen[0].box, chosen[0].snippet, role)
    unknown = sorted((f for f in candidates if f.role is None), key=pages_order)
    if unknown and "supplier_siret" not in result:
        # the letterhead's SIRET, when the client's is announced: the issuer's; alone, a guess
        first = unknown[0]
        confidence = 0.7 if "recipient_siret" in result and len(unknown) == 1 else 0.5
        result["supplier_siret"] = Found("supplier_siret", first.value, confidence, first.page, first.box, first.snippet, None)
    elif len(unknown) == 1 and "recipient_siret" not in result and result["supplier_siret"].value != unknown[0].value:
        # the issuer's SIRET known, one other printed: most likely the client's (extracted.py still checks it can receive)
        other = unknown[0]
        result["recipient_siret"] = Found("recipient_siret", other.value, 0.65, other.page, other.box, other.snippet, None)
    # one VAT number on the whole invoice: the issuer's, whose mention is compulsory (a client's comes with it)
    alone = len({f.value for f in vat_ids}) == 1
    for role, name in (("supplier", "supplier_vat_id"), ("recipient", "recipient_vat_id")):
        chosen = sorted((f for f in vat_ids if f.role == role or (role == "supplier" and f.role is None)), key=lambda f: -f.confidence)
        if chosen:
            best = chosen[0]
            confidence = best.confidence if best.role else (0.65 if alone else 0.55)
            result[name] = Found(name, best.value, confidence, best.page, best.box, best.snippet, best.role)
    siret, vat = result.get("supplier_siret"), result.get("supplier_vat_id")
    if siret is not None and vat is not None and siret.role is None and vat.value[4:] == siret.value[:9] and vat.value.startswith("FR"):
        result["supplier_siret"] = siret.with_confidence(max(siret.confidence, vat.confidence))  # the issuer's VAT number holds its SIREN
    if "supplier_siret" in result:
        siret = result["supplier_siret"]
        result["supplier_siren"] = Found("supplier_siren", siret.value[:9], siret.confidence, siret.page, siret.box, siret.snippet)
    return result, candidates


def _same_company(sirets: list[Found], vat_ids: list[Found]) -> tuple[list[Found], list[Found]]:
    """A French VAT number holds its company's SIREN: a SIRET and a VAT number of the same SIREN belong to
    the same party, so a role read for one is the other's too."""
    def siren_of(found: Found) -> str | None:
        return found.value[4:] if found.value.startswith("FR") and len(found.value) == 13 else None

    def adopt(found: Found, mates: list[Found]) -> Found:
        if found.role is not None:
            return found
        sure = max((m for m in mates if m.role is not None), key=lambda m: m.confidence, default=None)
        if sure is None:
            return found
        return Found(found.name, found.value, min(sure.confidence, 0.85), found.page, found.box, found.snippet, sure.role)

    by_siren = {}
    for vat in vat_ids:
        if siren_of(vat):
            by_siren.setdefault(siren_of(vat), []).append(vat)
    sirets = [adopt(s, by_siren.get(s.value[:9], [])) for s in sirets]
    vat_ids = [adopt(v, [s for s in sirets if s.value[:9] == siren_of(v)]) if siren_of(v) else v for v in vat_ids]
    return sirets, vat_ids


# Payment: IBAN, BIC -----------------------------------------------------------------------------------

def _bank(lines: list[Line], found_labels: list[Label]) -> dict[str, Found]:
    result: dict[str, Found] = {}
    ibans = []
    for line in lines:
        for segment in line.segments:
            if "iban" in segment.folded or re.search(r"[A-Z]{2}\d{2}", segment.text):
                hit = values.find_iban(segment.text)
                if hit:
                    labelled = "iban" in line.folded
                    role, _ = _role(lines, line, segment, hit[1])
                    confidence = (0.95 if labelled else 0.8) * (0.7 if role == "recipient" else 1.0)
                    ibans.append(_found("iban", hit[0], confidence, line, segment, hit[1], hit[2]))
    if ibans:
        best = max(ibans, key=lambda f: f.confidence)
        if len({f.value for f in ibans}) > 1:
            best = best.with_confidence(best.confidence - 0.2)
        result["iban"] = best
    bics = []
    for label in found_labels:
        if label.name == "bic":
            hit = _first_value(lines, label, values.find_bic, set())
            if hit:
                bics.append(hit)
    if bics:
        near = bics
        if "iban" in result:  # the BIC of the chosen account: the one nearest it
            near = sorted(bics, key=lambda f: (f.page != result["iban"].page, abs((f.box or (0, 0))[1] - (result["iban"].box or (0, 0))[1])))
        result["bic"] = near[0]
    return result


# Currency, kind, language --------------------------------------------------------------------------

def _currency(lines: list[Line], found_labels: list[Label]) -> Found:
    for label in found_labels:
        if label.name == "currency":
            after = label.line.segments[label.line.segments.index(label.segment) + 1:]
            code = re.search(r"\b(" + "|".join(values.ISO_CURRENCIES) + r")\b",
                             label.segment.text[label.end:] + " " + " ".join(s.text for s in after))
            if code:
                return _found("currency", code[1], 0.95, label.line, label.segment, label.end, len(label.segment.text))
    counted: Counter[str] = Counter()
    first: dict[str, tuple[Line, Segment]] = {}
    for line in lines:
        for segment in line.segments:
            for code in values.currencies_in(segment.text):
                counted[code] += 1
                first.setdefault(code, (line, segment))
    if not counted:
        words = " ".join(line.folded for line in lines)
        for word, code in values.CURRENCY_WORDS.items():
            if re.search(rf"\b{word}\b", words):
                return Found("currency", code, 0.7)
        return Found("currency", "EUR", 0.4, snippet="EUR")  # nothing says otherwise
    code, count = counted.most_common(1)[0]
    line, segment = first[code]
    confidence = 0.95 if count >= 2 and len(counted) == 1 else (0.85 if count >= 2 else 0.75)
    if code == "USD" and "$" in segment.text and not re.search(r"\bUSD\b|US\$", " ".join(l.text for l in lines)):
        confidence = min(confidence, 0.7)  # a bare « $ » may be another dollar
    return _found("currency", code, confidence, line, segment, 0, len(segment.text))


def _kind(lines: list[Line]) -> Found:
    for line in lines[:25]:
        for segment in line.segments:
            if labels.CREDIT_RE.search(segment.folded):
                return _found("kind", "AVOIR", 0.9, line, segment, 0, len(segment.text))
    return Found("kind", "FACTURE", 0.8)


def language_of(lines: list[Line]) -> str:
    text = " ".join(line.folded for line in lines)
    scores = {lang: len(re.findall(pattern, text)) for lang, pattern in labels.LANGUAGE_WORDS.items()}
    return max(scores, key=lambda lang: scores[lang])


# The whole reading -----------------------------------------------------------------------------------

FINDERS = {
    "invoice_number": lambda text: values.find_reference(text, max_length=20),
    "purchase_order": values.find_reference,
    "engagement_number": values.find_reference,
    "service_code": values.find_code,
}


def find_fields(pages: list[Page]) -> tuple[dict[str, Found], list[Found]]:
    """{field: Found} for the pages' words, and every SIRET seen with its role (the recipient is chosen
    among them by who can receive: extracted.py)."""
    lines = lines_of(pages)
    found_labels = _labels(lines)
    labelled = {id(label.segment) for label in found_labels if label.start <= 1}
    currency = _currency(lines, found_labels)
    # the order of a date's figures: from a date that reads one way only, else guessed (American: month first)
    order = values.date_order(" ".join(line.text for line in lines))
    guessed = order is None and currency.value == "USD" and language_of(lines) == "en"
    month_first = order == "mdy" or guessed
    doubtful: set[str] = set()  # dates read on that guess alone, whose figures make a date either way round

    def find_date(text: str):
        hit = values.find_date(text, month_first=month_first)
        if hit is not None and guessed and values.is_ambiguous_date(text[hit[1]:hit[2]]):
            doubtful.add(hit[0])
        return hit

    finders = {**FINDERS, "invoice_date": find_date, "due_date": find_date}
    result: dict[str, Found] = {}
    for name, finder in finders.items():
        candidates = [hit for label in found_labels if label.name == name
                      for hit in [_first_value(lines, label, finder, labelled)] if hit is not None]
        if not candidates:
            continue
        best = max(candidates, key=lambda f: (f.confidence, -pages_order(f)))
        # another value announced about as surely makes the best one doubtful; the same value read twice, surer
        rivals = [f for f in candidates if f.value != best.value and f.confidence > best.confidence - 0.1]
        agreeing = [f for f in candidates if f.value == best.value and f is not best]
        confidence = best.confidence + 0.04 * min(len(agreeing), 2) - (0.2 if rivals else 0.0)
        if best.value in doubtful:
            confidence = min(confidence, 0.5)
        result[name] = best.with_confidence(round(confidence, 3))
    order = result.get("purchase_order")
    if order is not None and "engagement_number" not in result and "commande" in values.fold(order.snippet):
        # the guide's keywords for the engagement: « Engagement », « EJ », « Commande » — a French order
        # number is the engagement's when nothing else is announced
        result["engagement_number"] = Found("engagement_number", order.value, round(order.confidence * 0.95, 3), order.page,
                                            order.box, order.snippet)
    if "due_date" in result and "invoice_date" in result and result["due_date"].value < result["invoice_date"].value:
        result["due_date"] = result["due_date"].with_confidence(result["due_date"].confidence - 0.3)
    text = " ".join(line.folded for line in lines)
    exempt = bool(re.search(r"tva\s+non\s+applicable|exoner|autoliquidation|reverse\s+charge|steuerschuldnerschaft|ohne\s+mwst"
                            r"|btw\s+verlegd|inversion\s+del\s+sujeto|esente\s+iva|293\s?b", text))
    result.update(_amounts(lines, found_labels, exempt=exempt))
    parties, sirets = _parties(lines)
    result.update(parties)
    result.update(_bank(lines, found_labels))
    result["currency"] = currency
    result["kind"] = _kind(lines)
    return result, sirets


def pages_order(found: Found) -> float:
    return (found.page or 0) * 10 + ((found.box or (0, 0))[1])
