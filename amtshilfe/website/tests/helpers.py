"""Shared test helpers of the website tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from amtshilfe.website.spam import form_stamp
from amtshilfe.wiki.services import create_article


def old_stamp(seconds: int = 60) -> str:
    """A form stamp as if the form had been shown ``seconds`` ago (a person, not a bot)."""
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=seconds), tick=False):
        return form_stamp()


def join_data(**changes: Any) -> dict[str, Any]:
    data = {
        "municipality_name": "Nünchritz",
        "kind": "gemeinde",
        "ags": "14627210",
        "population": "5600",
        "contact_name": "Nora Neu",
        "email": "it@nuenchritz.example",
        "phone": "",
        "contribution": "Erfahrung mit Fachverfahren",
        "consent": "on",
        "stamp": old_stamp(),
        "homepage": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def article(personas: Any, title: str, body: str, **kwargs: Any) -> Any:
    return create_article(
        actor=None,
        network=kwargs.pop("network", personas.network),
        cluster=kwargs.pop("cluster", personas.cluster),
        title=title,
        body=body,
        **kwargs,
    )
