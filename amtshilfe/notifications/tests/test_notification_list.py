"""/benachrichtigungen/: the own notifications, newest first; marking read with and without htmx."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import timezone

from amtshilfe.notifications.models import Kind, Notification
from amtshilfe.notifications.services import notify

LIST = "/benachrichtigungen/"


def send(personas, user, title, *, url="/anfragen/1/", kind=Kind.REQUEST_STATUS, body=""):
    (notification,) = notify(
        recipients=[user], network=personas.network, kind=kind, title=title, body=body, url=url
    )
    return notification


def unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_it_lists_the_own_notifications_newest_first_with_links(personas):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        send(personas, personas.bob, "#1 Drucker: Status „Erledigt“", body="Bitte bewerten.")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        send(personas, personas.bob, "#2 Scanner: neuer Kommentar", url="/anfragen/2/")
    send(personas, personas.alice, "Nur für Alice")
    response = personas.client(personas.bob).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("#2 Scanner") < html.index("#1 Drucker")
    assert '<a href="/anfragen/2/">#2 Scanner: neuer Kommentar</a>' in html
    assert "Bitte bewerten." in html and "Status einer Anfrage geändert" in html
    assert "Nur für Alice" not in html
    assert html.count('class="notification notification-unread"') == 2


def test_it_links_only_to_paths_of_this_site(personas):
    send(personas, personas.bob, "Fremder Link", url="https://evil.example/")
    send(personas, personas.bob, "Protokollrelativ", url="//evil.example/")
    html = personas.client(personas.bob).get(LIST).content.decode()
    assert "evil.example" not in html and "Fremder Link" in html


def test_it_pages_through_many_notifications(personas):
    for number in range(30):
        send(personas, personas.bob, f"Meldung {number:02d}")
    client = personas.client(personas.bob)
    first = client.get(LIST).content.decode()
    assert "Meldung 29" in first and "Meldung 04" not in first
    assert "Seite 1 von 2" in first
    second = client.get(LIST + "?seite=2").content.decode()
    assert "Meldung 04" in second and "Meldung 29" not in second


def test_it_marks_one_read_without_javascript(personas):
    first = send(personas, personas.bob, "Erste")
    send(personas, personas.bob, "Zweite")
    client = personas.client(personas.bob)
    response = client.post(f"{LIST}{first.pk}/gelesen/", {"seite": "1"})
    assert response.status_code == 302 and response["Location"] == LIST
    first.refresh_from_db()
    assert first.read_at is not None and unread(personas.bob) == 1
    page = client.get(LIST).content.decode()
    assert "„Erste“ ist als gelesen markiert." in page
    assert page.count("notification-unread") == 1
    assert client.get(f"{LIST}{first.pk}/gelesen/").status_code == 405


def test_it_marks_all_read_and_returns_the_list_to_htmx(personas):
    for title in ("Eins", "Zwei", "Drei"):
        send(personas, personas.bob, title)
    client = personas.client(personas.bob)
    assert (
        'Benachrichtigungen <span aria-hidden="true">(3)</span>'
        in client.get("/konto/").content.decode()
    )
    response = client.post(f"{LIST}alle-gelesen/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 Benachrichtigungen sind als gelesen markiert." in html
    assert 'id="notifications-status"' in html and 'id="notification-bell"' in html
    assert "notification-unread" not in html and "(3)" not in html
    assert unread(personas.bob) == 0
    again = client.post(f"{LIST}alle-gelesen/")
    assert again.status_code == 302
    assert "Es gab keine ungelesenen Benachrichtigungen." in client.get(LIST).content.decode()


def test_it_shows_the_unread_count_in_the_header_with_one_query(
    personas, django_assert_num_queries
):
    send(personas, personas.bob, "Eins")
    send(personas, personas.bob, "Zwei")
    read = send(personas, personas.bob, "Gelesen")
    read.read_at = timezone.now()
    read.save()
    request = RequestFactory().get("/")
    request.user = personas.bob
    template = Template("{% with n=notification_counts.unread %}{{ n }}{{ n }}{% endwith %}")
    with django_assert_num_queries(1):
        assert template.render(RequestContext(request)) == "22"
    html = personas.client(personas.bob).get(LIST).content.decode()
    assert "(2 ungelesene)" in html
    assert 'aria-current="page">Benachrichtigungen' in html


def test_it_hides_from_other_municipality(personas):
    # Notifications belong to one person: others get 404 for reading or marking them.
    note = send(personas, personas.bob, "Für Bob")
    for user in (personas.charlie, personas.alice, personas.coordinator, personas.olga):
        client = personas.client(user)
        assert "Für Bob" not in client.get(LIST).content.decode()
        assert client.post(f"{LIST}{note.pk}/gelesen/").status_code == 404
        client.post(f"{LIST}alle-gelesen/")
    note.refresh_from_db()
    assert note.read_at is None
    assert personas.client(personas.bob).post(f"{LIST}999999/gelesen/").status_code == 404


def test_it_requires_rw_access(personas):
    # Only a logged-in person writes, and only their own read marks.
    note = send(personas, personas.bob, "Für Bob")
    anonymous = personas.client(None)
    for path in (LIST, f"{LIST}einstellungen/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
    assert anonymous.post(f"{LIST}{note.pk}/gelesen/").status_code == 302
    assert anonymous.post(f"{LIST}alle-gelesen/").status_code == 302
    note.refresh_from_db()
    assert note.read_at is None
    assert (
        "Benachrichtigungen"
        not in personas.client(None).get("/").content.decode().split("<main")[0]
    )
