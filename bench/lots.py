"""The checks of a lot of invoices, per invoice, against raw saxonche validation of the same files in the
same run (`just bench lots`, `--invoices=N --rounds=N` for a smaller run).

Measured, for N generated CII invoices (the lot tests' invoice, each its own number):
- raw: saxonche alone, the EN 16931 stylesheet compiled once, each file parsed and transformed (the floor);
- en16931: the product's EN 16931 layer (`validate_en16931`: safe parse, DOCTYPE refusal, transform, SVRL);
- raw layers: bare saxonche on the same layers as a lot entry (EN 16931 then the French rules, each file
  parsed once by Saxon and both stylesheets applied), the floor the product's « layers » is measured against;
- layers: what a lot entry goes through (parsed once by lxml, read with `read_parsed`, then `check_xml`: XSD,
  EN 16931, French rules, anomalies grouped) — « vs raw layers » is the product's own overhead;
- archive: reading the N members of the same lot as a ZIP and as a TAR.GZ with `archives.Reader` (one pass).
Not measured here: creating and sending the invoices (PostgreSQL, the worker's queue) — see RESULTS.md.
Rounds are interleaved so a slow spell of the shared machine falls on every phase alike.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from bench.common import int_option, interleaved, print_table, summary_ms


def _invoices(count: int) -> list[bytes]:
    from tests.support.lots import cii_invoice

    return [cii_invoice("73282932000074", "21670482500019", number=f"B-{n:06d}") for n in range(count)]


def main(options: list[str]) -> None:
    from saxonche import PySaxonProcessor

    from backend.domain.einvoice.layers import check_xml
    from backend.domain.einvoice.reading import parse_invoice_xml, read_parsed
    from backend.domain.einvoice.validation import FR_STYLESHEETS, STYLESHEETS, validate_en16931
    from backend.domain.lots import archives
    from tests.support.lots import archive

    count, rounds = int_option(options, "invoices", 500), int_option(options, "rounds", 3)
    files = _invoices(count)
    processor = PySaxonProcessor(license=False)
    raw_stylesheet = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(STYLESHEETS["CII"]))
    raw_fr = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(FR_STYLESHEETS["CII"]))

    def raw_layers(data: bytes) -> None:
        node = processor.parse_xml(xml_text=data.decode())
        raw_stylesheet.transform_to_string(xdm_node=node)
        raw_fr.transform_to_string(xdm_node=node)

    def product_layers(data: bytes) -> None:
        root = parse_invoice_xml(data)
        read_parsed(root)
        check_xml(data, root=root)
    check_xml(files[0]), validate_en16931(files[0])  # compile the product's stylesheets and schemas once
    workdir = Path(tempfile.mkdtemp(prefix="bench-lots-"))
    paths = {kind: workdir / f"lot.{kind}" for kind in ("zip", "tar.gz")}
    for kind, path in paths.items():
        path.write_bytes(archive({f"f{n:04d}.xml": data for n, data in enumerate(files)}, kind))

    def timed(function) -> list[float]:
        started = time.perf_counter()
        for data in files:
            function(data)
        return [(time.perf_counter() - started) / len(files)]

    def read_archive(kind: str) -> list[float]:
        started = time.perf_counter()
        reader = archives.Reader(paths[kind], kind)
        for n in range(count):
            reader.read(f"f{n:04d}.xml", 1 << 20)
        reader.close()
        return [time.perf_counter() - started]

    phases = {
        "raw": lambda _i: {"per_invoice": timed(lambda d: raw_stylesheet.transform_to_string(
            xdm_node=processor.parse_xml(xml_text=d.decode())))},
        "en16931": lambda _i: {"per_invoice": timed(validate_en16931)},
        "raw layers": lambda _i: {"per_invoice": timed(raw_layers)},
        "layers": lambda _i: {"per_invoice": timed(product_layers)},
        "zip": lambda _i: {"whole": read_archive("zip")},
        "tar.gz": lambda _i: {"whole": read_archive("tar.gz")},
    }
    results = interleaved(phases, rounds)
    rows = []
    # Each product phase against the bare saxonche run of the same stylesheets.
    for name, floor in (("raw", "raw"), ("en16931", "raw"), ("raw layers", "raw layers"), ("layers", "raw layers")):
        ms, floor_ms = (summary_ms(results[n]["per_invoice"])["p50"] for n in (name, floor))
        rows.append([name, f"{ms:.2f} ms", f"{1000 / ms:.0f}", f"{ms / floor_ms:.2f}× {floor}"])
    print_table(["per invoice (median of rounds)", "time", "invoices/s (one core)", "vs bare saxonche"], rows)
    zip_s, tar_s = (summary_ms(results[k]["whole"])["p50"] / 1000 for k in ("zip", "tar.gz"))
    print_table(["archive of %d members" % count, "read (s)", "vs ZIP"],
                [["ZIP", f"{zip_s:.3f}", "1.00×"], ["TAR.GZ", f"{tar_s:.3f}", f"{tar_s / zip_s:.2f}×"]])
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)
