"""What may be attached to an article: the type is read from the file's content, not its name.

1. Binary formats (images, PDF, office files) are recognised by their signature with the
   ``filetype`` package, using only the matchers of the allow-list (a ZIP, an EXE or an SVG
   never matches one of them, whatever its name).
2. Anything else must be UTF-8 text without NUL bytes (plain text, CSV) and must not look like
   markup that a browser could run (SVG, HTML, XML).
3. The name shown and offered for download is cleaned; its extension is made to match the
   detected type, so that "start.bat" with text content is saved by the browser as
   "start.bat.txt" and never runs on a double click.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from filetype.types import archive, document, image


@dataclass(frozen=True)
class FileKind:
    mime: str
    extension: str
    extensions: frozenset[str]  # names we accept as they are
    label: str


def _kind(mime: str, extension: str, label: str, *others: str) -> FileKind:
    return FileKind(mime, extension, frozenset({extension, *others}), label)


PNG = _kind("image/png", "png", "PNG-Bild")
JPEG = _kind("image/jpeg", "jpg", "JPEG-Bild", "jpeg", "jpe")
GIF = _kind("image/gif", "gif", "GIF-Bild")
WEBP = _kind("image/webp", "webp", "WebP-Bild")
PDF = _kind("application/pdf", "pdf", "PDF-Dokument")
DOCX = _kind(document.Docx.MIME, "docx", "Word-Dokument")
XLSX = _kind(document.Xlsx.MIME, "xlsx", "Excel-Tabelle")
PPTX = _kind(document.Pptx.MIME, "pptx", "PowerPoint-Präsentation")
ODT = _kind(document.Odt.MIME, "odt", "OpenDocument-Text")
ODS = _kind(document.Ods.MIME, "ods", "OpenDocument-Tabelle")
ODP = _kind(document.Odp.MIME, "odp", "OpenDocument-Präsentation")
TEXT = _kind("text/plain", "txt", "Textdatei", "log", "md")
CSV = _kind("text/csv", "csv", "CSV-Tabelle")

# Matcher instances of the allow-list, office formats before anything that is also a ZIP.
_MATCHERS = [
    (document.Docx(), DOCX),
    (document.Xlsx(), XLSX),
    (document.Pptx(), PPTX),
    (document.Odt(), ODT),
    (document.Ods(), ODS),
    (document.Odp(), ODP),
    (archive.Pdf(), PDF),
    (image.Apng(), PNG),
    (image.Png(), PNG),
    (image.Jpeg(), JPEG),
    (image.Gif(), GIF),
    (image.Webp(), WEBP),
]
_KINDS_BY_MIME = {kind.mime: kind for _matcher, kind in _MATCHERS} | {
    TEXT.mime: TEXT,
    CSV.mime: CSV,
}
_MARKUP = re.compile(rb"<\s*(svg|html|script|\?xml|!doctype|iframe|object)\b", re.IGNORECASE)
_MARKUP_EXTENSIONS = {"svg", "svgz", "html", "htm", "xhtml", "xml", "js", "mjs"}
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*`$]+')


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    size: int
    display_name: str
    stored_name: str

    @property
    def mime(self) -> str:
        return self.kind.mime


def max_bytes() -> int:
    return int(settings.AMTSHILFE_ATTACHMENT_MAX_MB) * 1024 * 1024


def allowed_types_text() -> str:
    return _("Bilder (PNG, JPEG, GIF, WebP), PDF, Word, Excel, PowerPoint, OpenDocument, Text, CSV")


def kind_for_mime(mime: str) -> FileKind | None:
    return _KINDS_BY_MIME.get(mime)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""


def clean_name(name: str, kind: FileKind) -> str:
    """A name safe to show and to offer for download, ending in an extension of ``kind``."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").strip() or "anhang"
    if _extension(name) not in kind.extensions:
        name = f"{name}.{kind.extension}"
    if len(name) > 200:
        suffix = "." + _extension(name)
        name = name[: 200 - len(suffix)] + suffix
    return name


def _detect(file: IO[bytes], name: str, size: int) -> FileKind:
    file.seek(0)
    head = file.read(8192)
    for matcher, kind in _MATCHERS:
        if matcher.match(bytearray(head)):
            return kind
    extension = _extension(name)
    not_allowed = ValidationError(
        _("Dieser Dateityp ist nicht erlaubt. Erlaubt sind: %(types)s.")
        % {"types": allowed_types_text()},
        code="type",
    )
    if filetype.guess(head) is not None:  # a known binary format outside the allow-list
        raise not_allowed
    file.seek(0)
    data = file.read(size + 1)
    if b"\x00" in data:
        raise not_allowed
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            _("Textdateien müssen UTF-8-kodiert sein. Bitte speichern Sie die Datei als UTF-8."),
            code="encoding",
        ) from None
    if extension in _MARKUP_EXTENSIONS or _MARKUP.search(data[:65536]):
        raise ValidationError(
            _(
                "SVG-, HTML- und XML-Dateien sind aus Sicherheitsgründen nicht erlaubt. "
                "Bitte wandeln Sie Grafiken in PNG um."
            ),
            code="markup",
        )
    return CSV if extension == "csv" else TEXT


def check_upload(file: IO[bytes], *, name: str, size: int) -> CheckedFile:
    """Check an uploaded file; raises ``ValidationError`` with a German message."""
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("Die Datei ist zu groß. Erlaubt sind höchstens %(mb)s MB.")
            % {"mb": settings.AMTSHILFE_ATTACHMENT_MAX_MB},
            code="size",
        )
    if size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    kind = _detect(file, name, size)
    file.seek(0)
    return CheckedFile(
        kind=kind,
        size=size,
        display_name=clean_name(name, kind),
        stored_name=f"{secrets.token_hex(16)}.{kind.extension}",
    )
