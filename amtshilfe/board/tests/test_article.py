"""From a solved request to a knowledge-base article (draft for review), once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import RequestEvent
from amtshilfe.board.services import (
    add_comment,
    close_request,
    create_article_from_request,
    take_request,
)
from amtshilfe.board.tests.requests import add_dora_to_cluster, file, file_in_cluster, refresh
from amtshilfe.wiki.models import Article


def solved_with_comments(personas):
    request = take_request(actor=personas.alice, request=file_in_cluster(personas))
    add_comment(actor=personas.alice, request=request, body="Treiber neu installiert.")
    add_comment(
        actor=personas.alice, request=request, body="Kollege hat Murks gebaut.", internal=True
    )
    return close_request(actor=personas.alice, request=refresh(request))


def test_it_prefills_the_article_from_description_and_public_comments(personas):
    add_dora_to_cluster(personas)
    request = solved_with_comments(personas)
    article = create_article_from_request(actor=personas.dora, request=request)
    assert article.title == request.title and article.cluster == personas.cluster
    assert article.status == Article.Status.REVIEW  # dora is no topic owner: review first
    revision = article.revisions.get()
    assert "Seit heute früh" in revision.body and "Treiber neu installiert." in revision.body
    assert "Murks" not in revision.body
    assert refresh(request).article_created == article
    event = RequestEvent.objects.get(request=request, kind="article")
    assert event.data["article"]["slug"] == article.slug


def test_it_creates_only_one_article_and_only_from_solved_classified_requests(personas):
    request = solved_with_comments(personas)
    create_article_from_request(actor=personas.alice, request=request)
    with pytest.raises(ValidationError, match="bereits ein Artikel"):
        create_article_from_request(actor=personas.alice, request=refresh(request))
    with pytest.raises(ValidationError, match="erledigten Anfrage"):
        create_article_from_request(actor=personas.alice, request=file_in_cluster(personas))
    unclassified = file(personas)
    unclassified = close_request(actor=personas.coordinator, request=unclassified)
    with pytest.raises(ValidationError, match="Themencluster"):
        create_article_from_request(actor=personas.coordinator, request=unclassified)


def test_it_refuses_the_administration(personas):
    request = solved_with_comments(personas)
    with pytest.raises(PermissionDenied):
        create_article_from_request(actor=personas.bob, request=request)
    assert not Article.objects.exists()
