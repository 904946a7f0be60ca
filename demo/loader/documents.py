"""Documents: uploads the way a browser makes them, through the documents services (request, the bytes
to the signed storage, complete: verified, versioned, logged), of small generated PDFs and CSV budgets
written to the embedded storage (or the configured S3 bucket)."""

from __future__ import annotations

import hashlib
import zlib
from decimal import Decimal
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

from demo import data
from demo.loader.shared import Demo
from documents import services as document_services
from documents.models import Document
from documents.storage import object_store
from grants_office.calls.models import DocumentKind
from workflows.conditions import required_kinds
from workflows.document_policy import document_set_for
from workflows.models import Proposal

CONTENT_TYPES = {"pdf": "application/pdf", "csv": "text/csv"}


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF that viewers open: the lines in Helvetica (ASCII: the standard font has no ğ, ş)."""
    ascii_lines = [line.translate(_ASCII).encode("ascii", "replace").decode() for line in lines]
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in ascii_lines
    )
    stream = zlib.compress(text.encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜâîû–“”’", 'cgiosuCGIOSUaiu-""\'')


def _budget_csv(proposal: Proposal, version: int) -> bytes:
    total = proposal.total_budget or Decimal("100000")
    shares = [("Personel", "0.18"), ("Ekipman", "0.35"), ("Hizmet alımı", "0.30"), ("Seyahat", "0.05")]
    rows = ["Kalem;Tutar;Para birimi"]
    rows += [
        f"{name};{(total * Decimal(share)).quantize(Decimal('1'))};{proposal.currency}"
        for name, share in shares
    ]
    rows.append(f"Taslak;{version};")
    return ("\n".join(rows) + "\n").encode()


def _file(proposal: Proposal, kind: str, version: int) -> tuple[str, str, bytes]:
    stem, extension = data.DOCUMENT_FILES[kind]
    name = f"{proposal.acronym or 'PROJE'}_{stem}_v{version}.{extension}"
    if extension == "csv":
        return name, CONTENT_TYPES[extension], _budget_csv(proposal, version)
    lines = [proposal.acronym or proposal.title, proposal.title, str(DocumentKind(kind).label), f"v{version}"]
    return name, CONTENT_TYPES[extension], _pdf(lines)


def upload(demo: Demo, proposal: Proposal, user, kind: str, note: str = "") -> None:
    """One version of the proposal's document of this kind (the slot is added if it has none)."""
    document_set = document_set_for(proposal)
    document = Document.objects.filter(set=document_set, kind=kind).order_by("id").first()
    if document is None:
        document = document_services.create_document(document_set, user, kind=kind)
    number = document.versions.count() + 1
    filename, content_type, content = _file(proposal, kind, number)
    digest = hashlib.sha256(content).hexdigest()
    pending, signed = document_services.request_upload(
        document, user, filename, len(content), content_type, digest, note=note
    )
    store = object_store()
    if store.is_s3:
        store.client.put_object(
            Bucket=store.bucket,
            Key=store.key(pending.storage_key),
            Body=content,
            ContentType=content_type,
            ChecksumSHA256=signed["headers"]["x-amz-checksum-sha256"],
        )
    else:
        token = parse_qs(urlsplit(signed["url"]).query)["token"][0]
        document_services.receive_upload_content(pending.pk, token, len(content), BytesIO(content).read)
    document_services.complete_upload(pending, user)


def complete_checklist(demo: Demo, key: str) -> None:
    """The registrant uploads what the call requires and has no version yet."""
    proposal = demo.proposals[key]
    by = next((demo.user(spec["by"]) for spec in data.PROPOSALS if spec["key"] == key), demo.users[data.K])
    present = set(
        Document.objects.filter(set=document_set_for(proposal), versions__isnull=False).values_list(
            "kind", flat=True
        )
    )
    for kind in required_kinds(proposal):
        if kind not in present:
            upload(demo, proposal, by, kind)
