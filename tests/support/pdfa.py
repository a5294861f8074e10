"""What a generated PDF must carry to be the PDF/A-3B it declares, read back with pikepdf: an sRGB
OutputIntent with its ICC profile, an XMP declaring part 3 / conformance B that agrees with the document
information, a trailer /ID, every font embedded; and for a Factur-X, an XMP profile that is the XML's."""

from __future__ import annotations

import io

import pikepdf

from backend.infra.pdf_pdfa import ICC_PROFILE

# Document-information keys and the XMP property each must equal (ISO 19005-3, 6.6.2.3.1).
MIRRORED = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description", "/Keywords": "pdf:Keywords",
            "/Producer": "pdf:Producer", "/Creator": "xmp:CreatorTool"}


def pdfa_problems(pdf: bytes) -> list[str]:
    """Every way `pdf` falls short of PDF/A-3B on the points above; [] when none."""
    problems = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        intents = document.Root.get("/OutputIntents") or []
        if len(intents) != 1 or intents[0].get("/S") != pikepdf.Name.GTS_PDFA1:
            problems.append(f"output intents: {intents!r}")
        else:
            profile = intents[0].DestOutputProfile
            if profile.get("/N") != 3 or profile.read_bytes() != ICC_PROFILE.read_bytes():
                problems.append("the output intent's profile is not the sRGB ICC")
        if "/ID" not in document.trailer:
            problems.append("no trailer /ID")
        meta = document.open_metadata()
        if (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) != ("3", "B"):
            problems.append(f"XMP declares part {meta.get('pdfaid:part')} conformance {meta.get('pdfaid:conformance')}")
        for key, prop in MIRRORED.items():
            if key in document.docinfo:
                xmp = meta.get(prop)
                xmp = ", ".join(xmp) if isinstance(xmp, list) else xmp
                if str(document.docinfo[key]) != str(xmp):
                    problems.append(f"{key} {str(document.docinfo[key])!r} but XMP {prop} {xmp!r}")
        extra = set(document.docinfo.keys()) - set(MIRRORED) - {"/CreationDate", "/ModDate"}
        if extra:
            problems.append(f"document information without an XMP twin: {sorted(extra)}")
        for page in document.pages:
            for name, font in (page.Resources.get("/Font") or {}).items():
                for face in [font, *(font.get("/DescendantFonts") or [])]:
                    descriptor = face.get("/FontDescriptor")
                    if face.get("/Subtype") == "/Type0":
                        continue
                    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        problems.append(f"font {name} ({face.get('/BaseFont')}) not embedded")
    return problems
