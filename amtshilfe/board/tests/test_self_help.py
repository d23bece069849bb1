"""\"Das hat geholfen\": self-help successes for the indicators."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import SelfHelpSuccess
from amtshilfe.board.services import record_self_help
from amtshilfe.wiki.tests.articles import make_article, make_municipality_article


def test_it_records_the_query_article_and_municipality(personas):
    article = make_article(personas)
    success = record_self_help(
        actor=personas.bob, network=personas.network, query="drucker geht nicht", article=article
    )
    assert (success.municipality, success.article, success.query) == (
        personas.a,
        article,
        "drucker geht nicht",
    )


def test_it_refuses_articles_the_person_may_not_read(personas):
    secret = make_municipality_article(personas)  # only for Riesa (A)
    with pytest.raises(ValidationError):
        record_self_help(
            actor=personas.charlie, network=personas.network, query="x", article=secret
        )
    assert not SelfHelpSuccess.objects.exists()


def test_it_refuses_other_networks_and_foreign_municipalities(personas):
    with pytest.raises(PermissionDenied):
        record_self_help(actor=personas.olga, network=personas.network, query="x")
    with pytest.raises(PermissionDenied):
        record_self_help(
            actor=personas.bob, network=personas.network, query="x", municipality=personas.b
        )
