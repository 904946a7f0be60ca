"""The real type of a file, by its bytes."""

import pytest

from documents import sniff
from tests.documents.conftest import EXECUTABLE, ODS, ODT, docx, odf, pdf, xlsx, zip_file


def detect(data: bytes) -> str:
    sniffer = sniff.Sniffer()
    for start in range(0, len(data), 7):  # odd chunk sizes: detection must not depend on them
        sniffer.feed(data[start : start + 7])
    return sniffer.detect()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf(), sniff.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", sniff.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", sniff.JPEG),
        (xlsx(), sniff.XLSX),
        (docx(), sniff.DOCX),
        (odf(ODT), sniff.ODT),
        (odf(ODS), sniff.ODS),
        (zip_file({"readme.txt": b"hello"}), sniff.ZIP),
        ("kalem;tutar\nKırtasiye;120,50\n".encode(), sniff.TEXT),
        (EXECUTABLE, sniff.EXECUTABLE),
        (b"\x7fELF\x02\x01\x01", sniff.EXECUTABLE),
        (b"\x00\x01\x02binary", sniff.UNKNOWN),
    ],
)
def test_detects_the_real_type(data, expected):
    assert detect(data) == expected


@pytest.mark.parametrize(
    ("announced", "data", "ok"),
    [
        (sniff.PDF, pdf(), True),
        (sniff.PDF, EXECUTABLE, False),
        (sniff.XLSX, xlsx(), True),
        (sniff.DOCX, xlsx(), False),
        (sniff.ZIP, docx(), True),
        (sniff.CSV, b"a;b\n1;2\n", True),
        (sniff.PNG, pdf(), False),
        (sniff.TEXT, b"#!/bin/sh\nrm -rf /\n", False),
    ],
)
def test_announced_type_must_match_the_bytes(announced, data, ok):
    assert sniff.matches(announced, detect(data)) is ok
