"""What a file really is, by its bytes: the announced content type must agree with the magic.

Fed chunk by chunk while the file streams past (for the SHA-256), it keeps only the head and the tail,
so memory stays flat whatever the size. Zip containers are told apart by their entry names, read from
the central directory at the end of the file (OOXML) or the `mimetype` first entry (OpenDocument).
"""

from __future__ import annotations

import struct

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PNG = "image/png"
JPEG = "image/jpeg"
ZIP = "application/zip"
TEXT = "text/plain"
CSV = "text/csv"
EXECUTABLE = "application/x-executable"
UNKNOWN = "application/octet-stream"

HEAD_SIZE = 64 * 1024
TAIL_SIZE = 256 * 1024

ZIP_FAMILY = {DOCX, XLSX, PPTX, ODT, ODS, ZIP}
# Which detected types satisfy an announced type: a .docx is also a zip, a CSV is also text.
COMPATIBLE = {
    ZIP: ZIP_FAMILY,
    TEXT: {TEXT},
    CSV: {TEXT},
}

# Bytes that never occur in text files (NUL and most C0 controls; tab, LF, FF, CR and ESC may).
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13, 27})


class Sniffer:
    def __init__(self):
        self.head = bytearray()
        self.tail = bytearray()
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if len(self.head) < HEAD_SIZE:
            self.head += chunk[: HEAD_SIZE - len(self.head)]
        self.tail += chunk
        if len(self.tail) > TAIL_SIZE:
            del self.tail[: len(self.tail) - TAIL_SIZE]

    def detect(self) -> str:
        return detect(bytes(self.head), bytes(self.tail))


def detect(head: bytes, tail: bytes = b"") -> str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")):
        return EXECUTABLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, tail)
    if head and head.translate(None, _BINARY_BYTES) == head:
        return TEXT
    return UNKNOWN


def _zip_kind(head: bytes, tail: bytes) -> str:
    # OpenDocument: the first entry is an uncompressed file "mimetype" holding the type.
    if head[30:38] == b"mimetype":
        name_length, extra_length = struct.unpack("<HH", head[26:30])
        start = 30 + name_length + extra_length
        mimetype = head[start : start + 80].split(b"PK", 1)[0].decode("ascii", "replace").strip()
        if mimetype in (ODT, ODS):
            return mimetype
    names = _central_directory_names(tail) | _local_names(head)
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
        if any(name.startswith("ppt/") for name in names):
            return PPTX
    return ZIP


def _central_directory_names(tail: bytes) -> set[str]:
    names, position = set(), tail.find(b"PK\x01\x02")
    while position != -1 and position + 46 <= len(tail):
        name_length, extra_length, comment_length = struct.unpack("<HHH", tail[position + 28 : position + 34])
        names.add(tail[position + 46 : position + 46 + name_length].decode("utf-8", "replace"))
        position = tail.find(b"PK\x01\x02", position + 46 + name_length + extra_length + comment_length)
    return names


def _local_names(head: bytes) -> set[str]:
    names, position = set(), head.find(b"PK\x03\x04")
    while position != -1 and position + 30 <= len(head):
        (name_length,) = struct.unpack("<H", head[position + 26 : position + 28])
        names.add(head[position + 30 : position + 30 + name_length].decode("utf-8", "replace"))
        position = head.find(b"PK\x03\x04", position + 30)
    return names


def matches(announced: str, detected: str) -> bool:
    """Do the stored bytes fit the type the client announced?"""
    if detected in (EXECUTABLE, UNKNOWN):
        return False
    return detected == announced or detected in COMPATIBLE.get(announced, set())
