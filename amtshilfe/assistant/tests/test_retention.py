"""Retention: conversations are deleted after the retention days without activity."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from amtshilfe.assistant.models import Conversation
from amtshilfe.assistant.services import ask_assistant, purge_old_conversations
from amtshilfe.core.models import AuditEvent

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def ask(personas, question="Drucker hinzufügen", conversation_id=None):
    return ask_assistant(
        user=personas.bob,
        network=personas.network,
        question=question,
        conversation_id=conversation_id,
    ).conversation


@pytest.fixture
def conversations(personas):
    with time_machine.travel(START, tick=False):
        old = ask(personas)
        active = ask(personas, "Wie geht VPN?")
    with time_machine.travel(START + dt.timedelta(days=25), tick=False):
        ask(personas, "und am Mac?", conversation_id=active.pk)  # keeps it alive
    return old, active


def test_it_deletes_conversations_after_the_retention_days(personas, conversations):
    _old, active = conversations
    with time_machine.travel(START + dt.timedelta(days=30, hours=-1), tick=False):
        assert purge_old_conversations() == 0
    with time_machine.travel(START + dt.timedelta(days=30, hours=1), tick=False):
        assert purge_old_conversations() == 1
    assert list(Conversation.objects.all()) == [active]
    assert AuditEvent.objects.filter(action="assistant.conversations_purged").count() == 1


def test_it_counts_from_the_last_activity(personas, conversations):
    _old, active = conversations
    with time_machine.travel(START + dt.timedelta(days=54), tick=False):
        purge_old_conversations()
        assert Conversation.objects.filter(pk=active.pk).exists()
    with time_machine.travel(START + dt.timedelta(days=56), tick=False):
        purge_old_conversations()
        assert not Conversation.objects.exists()


def test_it_reads_the_retention_days_from_the_settings(personas, conversations, settings):
    settings.AMTSHILFE_ASSISTANT_RETENTION_DAYS = 7
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        assert purge_old_conversations() == 1


def test_it_runs_as_a_command(personas, conversations):
    out = StringIO()
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        call_command("delete_old_conversations", stdout=out)
    assert "1 Gespräche mit dem Assistenten gelöscht" in out.getvalue()
    assert "30 Tagen" in out.getvalue()
    assert Conversation.objects.count() == 1
