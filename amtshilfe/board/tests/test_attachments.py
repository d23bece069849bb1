"""Attachments on requests: the wiki's content checks, only for those who see the request."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import RequestAttachment
from amtshilfe.board.services import add_request_attachment
from amtshilfe.board.tests.requests import file_in_cluster
from amtshilfe.wiki.tests.articles import use_tmp_media
from amtshilfe.wiki.tests.test_attachments import SVG, png_bytes


@pytest.fixture
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    settings.AMTSHILFE_ATTACHMENT_MAX_MB = 1


def attach(personas, actor, name, content, request=None):
    return add_request_attachment(
        actor=actor,
        request=request or file_in_cluster(personas),
        file=io.BytesIO(content),
        name=name,
        size=len(content),
    )


def test_it_stores_a_screenshot_by_its_content(personas, media):
    attachment = attach(personas, personas.bob, "bildschirm.jpg", png_bytes())
    assert (attachment.content_type, attachment.original_name) == (
        "image/png",
        "bildschirm.jpg.png",
    )
    assert attachment.is_image and attachment.file.read() == png_bytes()
    assert attachment.file.name.startswith(f"board/{personas.network.pk}/")


def test_it_refuses_what_the_wiki_refuses(personas, media):
    with pytest.raises(ValidationError, match="SVG-, HTML- und XML-Dateien"):
        attach(personas, personas.bob, "logo.png", SVG)
    with pytest.raises(ValidationError, match="zu groß"):
        attach(personas, personas.bob, "gross.txt", b"a" * (1024 * 1024 + 1))
    assert not RequestAttachment.objects.exists()


def test_it_refuses_those_who_cannot_see_the_request(personas, media):
    with pytest.raises(PermissionDenied):
        attach(personas, personas.charlie, "notiz.txt", b"Hallo\n")
