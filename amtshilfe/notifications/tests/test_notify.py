"""Notifications: in the app always, by e-mail as each person prefers (now or daily digest)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.notifications.services import (
    mark_read,
    notify,
    preference_for,
    set_notification_preferences,
)


def send(personas, *people, kind=Kind.REQUEST_STATUS, title="Status „Erledigt“"):
    return notify(
        recipients=people,
        network=personas.network,
        kind=kind,
        title=title,
        body="Bitte bewerten Sie die Hilfe.",
        url="/anfragen/1/",
    )


def test_it_mails_right_after_the_commit(personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = send(personas, personas.bob, personas.bob, personas.alice)
    assert len(created) == 2  # bob once
    assert mailoutbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "bob@example.org"]
    message = mailoutbox[0]
    assert message.subject == "Amtshilfe: Status „Erledigt“"
    assert f"{settings.SITE_URL}/anfragen/1/" in message.body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_it_respects_kinds_switched_off_and_people_without_mail(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    set_notification_preferences(user=personas.bob, email_off_kinds=[Kind.MENTION], digest=False)
    personas.alice.email = ""
    personas.alice.save()
    personas.dora.is_active = False
    personas.dora.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(personas, personas.bob, personas.alice, personas.dora, kind=Kind.MENTION)
    assert mailoutbox == []
    assert set(Notification.objects.values_list("user__username", "email_state")) == {
        ("bob", "none"),
        ("alice", "none"),
    }


def test_it_collects_mails_into_a_daily_digest(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    set_notification_preferences(user=personas.bob, email_off_kinds=[], digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(personas, personas.bob, title="Erste Nachricht")
        send(personas, personas.bob, personas.alice, title="Zweite Nachricht")
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]  # alice: at once
    mailoutbox.clear()
    call_command("send_digest", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.to == ["bob@example.org"]
    assert digest.subject.startswith("Amtshilfe: Ihre Zusammenfassung vom ")
    assert digest.body.index("Erste Nachricht") < digest.body.index("Zweite Nachricht")
    assert not Notification.objects.waiting_for_digest().exists()
    call_command("send_digest", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # nothing twice


def test_it_marks_read_one_or_all(personas):
    first, second = send(personas, personas.bob)[0], send(personas, personas.bob)[0]
    send(personas, personas.alice)
    assert mark_read(user=personas.bob, notification=first) == 1
    assert list(Notification.objects.for_user(personas.bob).unread()) == [second]
    with pytest.raises(PermissionDenied):
        mark_read(user=personas.alice, notification=second)
    assert mark_read(user=personas.bob) == 1
    assert Notification.objects.for_user(personas.alice).unread().count() == 1


def test_it_keeps_preferences_per_person(personas):
    assert preference_for(personas.bob).digest is False  # defaults, not saved
    pref = set_notification_preferences(
        user=personas.bob, email_off_kinds=["mention", "mention"], digest=True
    )
    assert (pref.email_off_kinds, pref.digest) == (["mention"], True)
    assert not preference_for(personas.bob).wants_email("mention")
    with pytest.raises(ValidationError):
        set_notification_preferences(user=personas.bob, email_off_kinds=["spam"], digest=False)
    with pytest.raises(ValueError):
        send(personas, personas.bob, kind="spam")


def test_it_dates_the_digest(personas, mailoutbox):
    from amtshilfe.notifications.services import send_digests

    set_notification_preferences(user=personas.bob, email_off_kinds=[], digest=True)
    send(personas, personas.bob)
    assert send_digests(now=dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)) == 1
    assert mailoutbox[0].subject == "Amtshilfe: Ihre Zusammenfassung vom 02.03.2026"
