"""Attachments: type checked on the content, size limit, served only to readers."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amtshilfe.core.models import AuditEvent
from amtshilfe.wiki.models import Attachment
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article, use_tmp_media


def png_bytes() -> bytes:
    """A real 1×1 pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("programm.exe", EXE)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    settings.AMTSHILFE_ATTACHMENT_MAX_MB = 1


def upload(client, article, name, content):
    return client.post(
        f"/wissen/{article.slug}/anhaenge/", {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        ("foto.png", png_bytes(), "image/png", "foto.png"),
        ("foto.jpg", png_bytes(), "image/png", "foto.jpg.png"),
        ("Anleitung.pdf", PDF, "application/pdf", "Anleitung.pdf"),
        (
            "Formular.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Formular.docx",
        ),
        ("liste.csv", "Name;Ort\nMüller;Riesa\n".encode(), "text/csv", "liste.csv"),
        ("notiz.txt", "Grüße\n".encode(), "text/plain", "notiz.txt"),
        ("start.bat", b"del C:\\*.*\r\n", "text/plain", "start.bat.txt"),
    ],
)
def test_it_takes_the_type_from_the_content(
    personas, media, name, content, content_type, stored_as
):
    article = make_article(personas)
    response = upload(personas.client(personas.alice), article, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.original_name) == (content_type, stored_as)
    assert attachment.stored_name != name and attachment.size == len(content)
    assert AuditEvent.objects.filter(action="article.attachment_added").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rechnung.pdf", EXE, "Dieser Dateityp ist nicht erlaubt."),
        ("bericht.docx", zip_bytes(), "Dieser Dateityp ist nicht erlaubt."),
        ("logo.svg", SVG, "SVG-, HTML- und XML-Dateien sind aus Sicherheitsgründen nicht erlaubt."),
        ("logo.png", SVG, "SVG-, HTML- und XML-Dateien sind aus Sicherheitsgründen nicht erlaubt."),
        ("alt.txt", "Grüße".encode("latin-1"), "Textdateien müssen UTF-8-kodiert sein."),
    ],
)
def test_it_refuses_what_is_not_allowed(personas, media, name, content, message):
    article = make_article(personas)
    response = upload(personas.client(personas.alice), article, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_enforces_the_size_limit(personas, media):
    article = make_article(personas)
    too_big = b"a" * (1024 * 1024 + 1)
    response = upload(personas.client(personas.alice), article, "gross.txt", too_big)
    assert "Die Datei ist zu groß. Erlaubt sind höchstens 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_stops_a_too_large_upload_before_storing_it(personas, media, monkeypatch):
    from django.core.files import uploadhandler

    stored: list[str] = []
    for name in ("MemoryFileUploadHandler", "TemporaryFileUploadHandler"):
        handler = getattr(uploadhandler, name)
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, _original=original, _name=name):
            stored.append(_name)
            return _original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    article = make_article(personas)
    client = personas.client(personas.alice)
    response = upload(client, article, "gross.txt", b"a" * (3 * 1024 * 1024))
    assert response.status_code == 200
    assert "Die Datei ist zu groß. Erlaubt sind höchstens 1 MB." in response.content.decode()
    assert "Bitte wählen Sie eine Datei aus." not in response.content.decode()
    assert stored == []  # refused on the declared length: not one byte went to a file
    assert not Attachment.objects.exists()
    # The CSRF check still applies to the upload form.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.alice)
    refused = upload(strict, article, "klein.txt", b"hallo")
    assert refused.status_code == 403 and not Attachment.objects.exists()


def test_it_counts_bytes_when_the_declared_length_is_wrong():
    from django.core.files.uploadhandler import StopUpload

    from amtshilfe.wiki.views.attachments import SizeLimitUploadHandler

    handler = SizeLimitUploadHandler(None, limit=10)
    handler.handle_raw_input(None, {}, 100, b"x")  # declared: small enough with overhead
    handler.new_file("file", "a.txt", "text/plain", None)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"123456", 5)
    assert handler.too_large


def test_it_serves_images_inline_and_other_files_as_downloads(personas, media):
    article = make_article(personas)
    client = personas.client(personas.alice)
    upload(client, article, "foto.png", png_bytes())
    upload(client, article, "Anleitung.pdf", PDF)
    image = Attachment.objects.get(content_type="image/png")
    pdf = Attachment.objects.get(content_type="application/pdf")
    page = personas.client(personas.bob).get(f"/wissen/{article.slug}/").content.decode()
    assert f'<img src="/wissen/{article.slug}/anhang/{image.pk}/" alt="foto.png"' in page
    response = personas.client(personas.bob).get(f"/wissen/{article.slug}/anhang/{image.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()
    response = personas.client(personas.bob).get(f"/wissen/{article.slug}/anhang/{pdf.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="Anleitung.pdf"'
    assert "sandbox" in response["Content-Security-Policy"]


def test_it_lets_owners_and_uploaders_remove_attachments(
    personas, media, django_capture_on_commit_callbacks
):
    article = make_article(personas)
    dora = personas.client(personas.dora)
    upload(dora, article, "notiz.txt", b"Hallo")
    upload(personas.client(personas.coordinator), article, "andere.txt", b"Hallo")
    own = Attachment.objects.get(original_name="notiz.txt")
    other = Attachment.objects.get(original_name="andere.txt")
    assert (
        personas.client(personas.bob)
        .post(f"/wissen/{article.slug}/anhang/{own.pk}/entfernen/")
        .status_code
        == 403
    )
    assert dora.post(f"/wissen/{article.slug}/anhang/{other.pk}/entfernen/").status_code == 403
    stored = Path(own.file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = dora.post(f"/wissen/{article.slug}/anhang/{own.pk}/entfernen/")
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=own.pk).exists() and not stored.exists()
    assert AuditEvent.objects.filter(action="article.attachment_removed").exists()
    # Topic owners may remove anybody's attachment.
    personas.client(personas.alice).post(f"/wissen/{article.slug}/anhang/{other.pk}/entfernen/")
    assert not Attachment.objects.exists()


def test_it_hides_from_other_municipality(personas, media):
    article = make_municipality_article(personas)
    upload(personas.client(personas.alice), article, "foto.png", png_bytes())
    attachment = Attachment.objects.get()
    url = f"/wissen/{article.slug}/anhang/{attachment.pk}/"
    assert personas.client(personas.bob).get(url).status_code == 200
    for user in (personas.charlie, personas.dora, personas.olga):
        client = personas.client(user)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}entfernen/").status_code == 404
        assert upload(client, article, "x.txt", b"x").status_code == 404
    # An attachment is only found under its own article.
    other = make_article(personas)
    assert (
        personas.client(personas.bob)
        .get(f"/wissen/{other.slug}/anhang/{attachment.pk}/")
        .status_code
        == 404
    )


def test_it_requires_rw_access(personas, media):
    article = make_article(personas)
    for user in (personas.bob, personas.steering):
        client = personas.client(user)
        assert client.get(f"/wissen/{article.slug}/anhaenge/").status_code == 403
        assert upload(client, article, "x.txt", b"x").status_code == 403
    assert not Attachment.objects.exists()
    assert upload(personas.client(personas.dora), article, "x.txt", b"x").status_code == 302


def test_it_sends_anonymous_visitors_to_login(personas, media):
    article = make_article(personas)
    upload(personas.client(personas.alice), article, "foto.png", png_bytes())
    attachment = Attachment.objects.get()
    response = Client().get(f"/wissen/{article.slug}/anhang/{attachment.pk}/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
