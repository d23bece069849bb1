"""Shared set-up for the wiki view tests: articles of the personas' network."""

from __future__ import annotations

from typing import Any

from amtshilfe.conftest import Personas
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.services import create_article

BODY = """Einleitung zum Drucker.

## Toner wechseln

Klappe öffnen, Kartusche tauschen.

## Papierstau

Siehe auch [[scanner-einrichten]].
"""


def make_article(personas: Personas, **kwargs: Any) -> Article:
    """A published article in the cluster "Drucker" (created like an import: no actor)."""
    values: dict[str, Any] = {
        "actor": None,
        "network": personas.network,
        "cluster": personas.cluster,
        "title": "Drucker einrichten",
        "body": BODY,
        "tags": ["drucker", "toner"],
    }
    values.update(kwargs)
    return create_article(**values)


def make_municipality_article(personas: Personas, **kwargs: Any) -> Article:
    """An article only the people of municipality A (Riesa) may read."""
    return make_article(
        personas,
        title="Interner Drucker Riesa",
        slug="interner-drucker-riesa",
        visibility=Article.Visibility.MUNICIPALITY,
        municipality=personas.a,
        **kwargs,
    )


def use_tmp_media(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder, not to the data directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
