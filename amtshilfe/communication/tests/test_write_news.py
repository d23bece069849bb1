"""Writing news: who may write to whom, revisions, notifications, scheduled publishing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from amtshilfe.communication.models import News
from amtshilfe.communication.services import publish_due_news, update_news
from amtshilfe.communication.tests.helpers import NOW, news, second_cluster
from amtshilfe.core.models import AuditEvent
from amtshilfe.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def form(**changes):
    data = {
        "title": "Wartung am Wochenende",
        "body": "Der **Mailserver** ist am Samstag nicht erreichbar.",
        "cluster": "",
        "publish": "now",
        "published_at": "",
        "message": "",
    }
    data.update(changes)
    return data


def test_it_lets_the_coordinator_publish_to_the_whole_network(personas):
    response = personas.client(personas.coordinator).post("/aktuelles/neu/", form())
    item = News.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/aktuelles/{item.slug}/"
    assert item.slug == "wartung-am-wochenende"
    assert item.is_published()
    assert item.cluster is None


def test_it_notifies_the_audience_when_published(personas):
    personas.client(personas.coordinator).post("/aktuelles/neu/", form())
    notified = set(
        Notification.objects.filter(kind="news").values_list("user__username", flat=True)
    )
    assert {"alice", "bob", "charlie", "dora", "steering", "auditor"} <= notified
    assert "coordinator" not in notified  # the author
    assert "olga" not in notified
    note = Notification.objects.filter(kind="news").first()
    assert note.title == "Wartung am Wochenende"
    assert note.url == f"/aktuelles/{News.objects.get().slug}/"


def test_it_notifies_only_the_cluster_for_cluster_news(personas):
    news(personas, actor=personas.coordinator, cluster=personas.cluster)
    notified = set(
        Notification.objects.filter(kind="news").values_list("user__username", flat=True)
    )
    assert notified == {"alice"}


def test_it_sends_no_notification_for_a_draft(personas):
    personas.client(personas.coordinator).post("/aktuelles/neu/", form(publish="draft"))
    assert not Notification.objects.filter(kind="news").exists()
    assert News.objects.get().published_at is None


def test_it_notifies_scheduled_news_once_when_due(personas, clock):
    item = news(personas, published_at=NOW + dt.timedelta(hours=2))
    assert publish_due_news() == 0
    clock.move_to(NOW + dt.timedelta(hours=3))
    call_command("publish_news", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = Notification.objects.filter(kind="news").count()
    assert count > 0
    assert publish_due_news() == 0
    assert Notification.objects.filter(kind="news").count() == count
    item.refresh_from_db()
    assert item.notified_at is not None


def test_it_lets_a_topic_owner_write_only_to_their_cluster(personas):
    client = personas.client(personas.alice)
    refused = client.post("/aktuelles/neu/", form())
    assert refused.status_code == 400
    assert "Themencluster" in refused.content.decode()
    other = second_cluster(personas)
    refused = client.post("/aktuelles/neu/", form(cluster=other.pk))
    assert refused.status_code == 400
    accepted = client.post("/aktuelles/neu/", form(cluster=personas.cluster.pk))
    assert accepted.status_code == 302
    assert News.objects.get().cluster == personas.cluster


def test_it_lets_only_the_coordinator_make_news_public(personas):
    with pytest.raises(ValidationError):
        news(personas, actor=personas.alice, cluster=personas.cluster, is_public=True)
    personas.client(personas.alice).post(
        "/aktuelles/neu/", form(cluster=personas.cluster.pk, is_public="on")
    )
    assert News.objects.get().is_public is False  # the disabled field is ignored


def test_it_requires_rw_access(personas):
    item = news(personas)
    for user in (personas.bob, personas.charlie, personas.steering, personas.auditor):
        client = personas.client(user)
        assert client.get("/aktuelles/neu/").status_code == 403
        assert client.post("/aktuelles/neu/", form()).status_code == 403
        assert client.get(f"/aktuelles/{item.slug}/bearbeiten/").status_code == 403
        assert client.post(f"/aktuelles/{item.slug}/bearbeiten/", form()).status_code == 403
    # the owner of "Drucker" may not edit network-wide news
    assert (
        personas.client(personas.alice).get(f"/aktuelles/{item.slug}/bearbeiten/").status_code
        == 403
    )
    assert News.objects.get().title == "Neue Druckertreiber für alle Kommunen"


def test_it_sends_anonymous_visitors_to_the_login(personas):
    response = personas.client(None).get("/aktuelles/neu/")
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def test_it_keeps_every_save_as_a_revision(personas):
    item = news(personas)
    client = personas.client(personas.coordinator)
    response = client.post(
        f"/aktuelles/{item.slug}/bearbeiten/",
        form(title="Neue Treiber (korrigiert)", body="Neuer Text", message="Tippfehler", version=1),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 2
    assert item.slug == "neue-druckertreiber-fuer-alle-kommunen"  # the link stays
    revisions = list(item.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].title == "Neue Druckertreiber für alle Kommunen"
    assert revisions[1].body == "Neuer Text"
    assert revisions[1].message == "Tippfehler"
    assert revisions[1].author == personas.coordinator
    page = client.get(f"/aktuelles/{item.slug}/versionen/").content.decode()
    assert "Tippfehler" in page
    assert "Version 1" in page and "Version 2" in page
    assert AuditEvent.objects.filter(action="news.updated").count() == 1


def test_it_refuses_a_stale_edit_and_keeps_the_text(personas):
    item = news(personas)
    update_news(
        actor=personas.coordinator,
        news=item,
        title="Zwischendurch geändert",
        body="x",
        cluster=None,
        is_public=False,
        published_at=item.published_at,
    )
    response = personas.client(personas.coordinator).post(
        f"/aktuelles/{item.slug}/bearbeiten/",
        form(title="Mein Titel", body="Mein langer Text", version=1),
    )
    assert response.status_code == 400
    assert "Mein langer Text" in response.content.decode()
    assert News.objects.get().title == "Zwischendurch geändert"


def test_it_refuses_publishing_later_without_a_future_time(personas):
    client = personas.client(personas.coordinator)
    response = client.post("/aktuelles/neu/", form(publish="later", published_at=""))
    assert response.status_code == 400
    response = client.post(
        "/aktuelles/neu/", form(publish="later", published_at="2026-03-01T10:00")
    )
    assert response.status_code == 400
    assert "Zukunft" in response.content.decode()
    response = client.post(
        "/aktuelles/neu/", form(publish="later", published_at="2026-03-05T10:00")
    )
    assert response.status_code == 302
    item = News.objects.get()
    assert item.published_at == dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)  # 10:00 in Berlin
    assert not Notification.objects.filter(kind="news").exists()


def test_it_explains_empty_fields_in_german(personas):
    response = personas.client(personas.coordinator).post(
        "/aktuelles/neu/", form(title=" ", body="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte geben Sie einen Titel an." in page
    assert "Bitte schreiben Sie einen Text." in page


def test_it_refuses_writing_by_services_without_rights(personas):
    with pytest.raises(PermissionDenied):
        news(personas, actor=personas.bob)


def test_it_makes_unique_slugs(personas):
    first = news(personas, title="Neu")
    second = news(personas, title="Neu")
    assert first.slug == "neu-meldung"
    assert second.slug == "neu-meldung-2"


def test_it_notifies_when_a_draft_is_published_later(personas):
    item = news(personas, published_at=None)
    assert not Notification.objects.filter(kind="news").exists()
    response = personas.client(personas.coordinator).post(
        f"/aktuelles/{item.slug}/bearbeiten/", form(title=item.title, publish="now", version=1)
    )
    assert response.status_code == 302
    assert Notification.objects.filter(kind="news", user=personas.bob).count() == 1
    # a further edit does not notify again
    personas.client(personas.coordinator).post(
        f"/aktuelles/{item.slug}/bearbeiten/", form(title="Korrigiert", publish="now", version=2)
    )
    assert Notification.objects.filter(kind="news", user=personas.bob).count() == 1
    item.refresh_from_db()
    assert item.published_at == NOW  # "now" keeps the first publication time


def test_it_emails_the_audience_after_commit(
    personas, django_capture_on_commit_callbacks, mailoutbox
):
    from amtshilfe.notifications.services import set_notification_preferences

    set_notification_preferences(user=personas.dora, email_off_kinds=["news"], digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        news(personas, title="Per E-Mail")
    recipients = {address for message in mailoutbox for address in message.to}
    assert "bob@example.org" in recipients
    assert "dora@example.org" not in recipients  # switched news e-mails off
    assert "coordinator@example.org" not in recipients
    assert any("Per E-Mail" in message.subject for message in mailoutbox)
