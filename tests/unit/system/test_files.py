from backend.infra.files import sniff_type


def test_types_are_recognised_by_content_not_by_name():
    assert sniff_type(b"%PDF-1.7\n%\xe2\xe3") == "pdf"
    assert sniff_type(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) == "png"
    assert sniff_type(b"BM" + b"\x00" * 40) == "bmp"
    assert sniff_type(b"II*\x00" + b"\x00" * 10) == "tiff"
    assert sniff_type(b"PK\x03\x04rest") == "zip"
    assert sniff_type('<?xml version="1.0"?><rsm:CrossIndustryInvoice/>'.encode()) == "xml"
    assert sniff_type("numéro;montant\nF-1;12,00\n".encode()) == "csv"


def test_random_text_or_binary_is_unknown():
    assert sniff_type(b"hello world, this is not a csv") is None
    assert sniff_type(bytes(range(256))) is None
