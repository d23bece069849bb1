"""Changes on a request's page: who may do what (403/404), stale cards, text never lost."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amtshilfe.board.models import Column, Comment, RequestAttachment, ServiceRequest, Watcher
from amtshilfe.board.services import close_request, take_request
from amtshilfe.board.tests.requests import (
    add_dora_to_cluster,
    column,
    file,
    file_in_cluster,
    refresh,
)
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.tests.articles import use_tmp_media

IT_ACTIONS = {
    "uebernehmen": {},
    "zuweisen": {"assignee": "alice"},
    "cluster": {"cluster": "drucker"},
    "dringlichkeit": {"urgency": "high"},
    "verschieben": {"column": "0"},
    "erledigt": {"comment": "Gelöst"},
    "artikel": {},
}


@pytest.fixture
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def post(personas, user, request, action, data=None, follow=False):
    values = {"version": str(refresh(request).version), **(data or {})}
    return personas.client(user).post(f"/anfragen/{request.pk}/{action}/", values, follow=follow)


def text(response):
    return response.content.decode()


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)
    before = refresh(request)
    for action, data in IT_ACTIONS.items():
        # bob and the auditor see the request (staff of A) but do not work on it
        for reader in (personas.bob, personas.auditor):
            assert post(personas, reader, request, action, data).status_code == 403, action
    assert (
        post(
            personas, personas.bob, request, "kommentar", {"body": "x", "internal": "on"}
        ).status_code
        == 403
    )
    assert post(personas, personas.alice, request, "bewerten", {"rating": "5"}).status_code == 403
    after = refresh(request)
    assert (after.version, after.assignee_id, after.status) == (before.version, None, before.status)
    assert not Comment.objects.exists()


def test_it_hides_from_other_municipality(personas):
    request = file_in_cluster(personas)
    actions = [*IT_ACTIONS, "kommentar", "bewerten", "wieder-oeffnen", "beobachten", "anhaenge"]
    for action in actions:
        assert post(personas, personas.charlie, request, action, {"body": "x"}).status_code == 404
        assert post(personas, personas.olga, request, action, {"body": "x"}).status_code == 404
    assert (
        not Comment.objects.exists() and not Watcher.objects.filter(user=personas.charlie).exists()
    )


def test_it_lets_a_cluster_member_take_the_request(personas):
    request = file_in_cluster(personas)
    response = post(personas, personas.alice, request, "uebernehmen", follow=True)
    assert "Sie haben die Anfrage übernommen." in text(response)
    taken = refresh(request)
    assert taken.assignee == personas.alice and taken.status == ServiceRequest.Status.IN_PROGRESS


def test_it_assigns_a_suggested_expert_in_one_click(personas):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    response = post(
        personas, personas.coordinator, request, "zuweisen", {"assignee": "dora"}, follow=True
    )
    assert "Die Anfrage ist Dora Test zugewiesen." in text(response)
    assert refresh(request).assignee == personas.dora
    response = post(
        personas, personas.coordinator, request, "zuweisen", {"assignee": "charlie"}, follow=True
    )
    assert "ist keine IT-Fachkraft im Themencluster" in text(response)
    assert refresh(request).assignee == personas.dora


def test_it_changes_cluster_and_urgency(personas, triage):
    triage.answer(personas.cluster, 0.3)
    request = file(personas)
    response = post(
        personas, personas.coordinator, request, "cluster", {"cluster": "drucker"}, follow=True
    )
    assert "Die Anfrage gehört jetzt zum Themencluster „Drucker“." in text(response)
    assert refresh(request).cluster == personas.cluster
    post(personas, personas.alice, request, "dringlichkeit", {"urgency": "critical"})
    assert refresh(request).urgency == "critical"
    response = post(
        personas, personas.alice, request, "dringlichkeit", {"urgency": "egal"}, follow=True
    )
    assert "Bitte wählen Sie eine Dringlichkeit." in text(response)
    response = post(
        personas, personas.alice, request, "cluster", {"cluster": "gibt-es-nicht"}, follow=True
    )
    assert "Dieses Themencluster gibt es im Netzwerk nicht." in text(response)


def test_it_moves_the_card_and_refuses_a_stale_move(personas):
    request = file_in_cluster(personas)
    waiting = column(personas, Column.Kind.WAITING)
    seen = refresh(request).version
    post(personas, personas.alice, request, "verschieben", {"column": str(waiting.pk)})
    assert refresh(request).status == ServiceRequest.Status.WAITING
    in_progress = column(personas, Column.Kind.IN_PROGRESS)
    response = personas.client(personas.alice).post(
        f"/anfragen/{request.pk}/verschieben/",
        {"version": str(seen), "column": str(in_progress.pk)},
        follow=True,
    )
    assert (
        "Die Karte wurde inzwischen von Alice Test verschoben. Die Ansicht wurde aktualisiert."
        in text(response)
    )
    assert refresh(request).status == ServiceRequest.Status.WAITING


def test_it_refuses_a_column_of_another_board(personas):
    request = file_in_cluster(personas)
    response = post(
        personas, personas.alice, request, "verschieben", {"column": "999999"}, follow=True
    )
    assert "Bitte wählen Sie eine Spalte dieses Boards." in text(response)


def test_it_closes_with_a_public_closing_comment(personas):
    request = file_in_cluster(personas)
    response = post(
        personas,
        personas.alice,
        request,
        "erledigt",
        {"comment": "Treiber neu installiert."},
        follow=True,
    )
    assert "Die Anfrage ist erledigt." in text(response)
    closed = refresh(request)
    assert closed.status == ServiceRequest.Status.DONE
    comment = Comment.objects.get()
    assert (comment.body, comment.internal) == ("Treiber neu installiert.", False)


def test_it_keeps_the_closing_comment_when_the_card_changed_meanwhile(personas):
    request = file_in_cluster(personas)
    seen = refresh(request).version
    take_request(actor=personas.alice, request=request)
    response = personas.client(personas.alice).post(
        f"/anfragen/{request.pk}/erledigt/", {"version": str(seen), "comment": "Meine Lösung"}
    )
    html = text(response)
    assert response.status_code == 200
    assert "Die Karte wurde inzwischen von Alice Test" in html
    assert "Meine Lösung</textarea>" in html
    assert f'name="version" value="{refresh(request).version}"' in html
    assert not Comment.objects.exists() and refresh(request).status != ServiceRequest.Status.DONE


def test_it_lets_only_the_requesting_side_rate_and_only_when_closed(personas):
    request = file_in_cluster(personas)
    response = post(personas, personas.bob, request, "bewerten", {"rating": "5"}, follow=True)
    assert "sobald die Anfrage erledigt ist" in text(response)
    assert refresh(request).rating is None
    assert "Wie zufrieden sind Sie mit der Hilfe?" not in text(response)
    close_request(actor=personas.alice, request=request)
    html = text(personas.client(personas.bob).get(f"/anfragen/{request.pk}/"))
    assert html.count('name="rating" value="') == 5
    assert "Wie zufrieden sind Sie" not in text(
        personas.client(personas.alice).get(f"/anfragen/{request.pk}/")
    )
    assert post(personas, personas.alice, request, "bewerten", {"rating": "1"}).status_code == 403
    response = post(
        personas,
        personas.bob,
        request,
        "bewerten",
        {"rating": "4", "comment": "Schnell!"},
        follow=True,
    )
    assert "Danke für Ihre Bewertung" in text(response)
    rated = refresh(request)
    assert (rated.rating, rated.rating_comment, rated.status) == (4, "Schnell!", "closed")
    assert 'name="rating" value="' not in text(response)
    again = post(personas, personas.bob, request, "bewerten", {"rating": "1"}, follow=True)
    assert "bereits bewertet" in text(again) and refresh(request).rating == 4


def test_it_refuses_a_rating_outside_one_to_five(personas):
    request = file_in_cluster(personas)
    close_request(actor=personas.alice, request=request)
    response = post(
        personas, personas.bob, request, "bewerten", {"rating": "6", "comment": "Mein Text"}
    )
    assert "Bitte vergeben Sie 1 bis 5 Sterne." in text(response)
    assert "Mein Text</textarea>" in text(response)
    assert refresh(request).rating is None


def test_it_reopens_for_the_requesting_side(personas):
    request = file_in_cluster(personas)
    close_request(actor=personas.alice, request=request)
    response = post(
        personas,
        personas.bob,
        request,
        "wieder-oeffnen",
        {"reason": "Geht wieder nicht"},
        follow=True,
    )
    assert "Die Anfrage ist wieder in Arbeit." in text(response)
    assert not refresh(request).is_finished
    assert Comment.objects.get().body == "Geht wieder nicht"


def test_it_turns_a_solved_request_into_a_draft_article(personas):
    request = file_in_cluster(personas)
    close_request(actor=personas.alice, request=request)
    response = post(personas, personas.alice, request, "artikel")
    article = Article.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/wissen/{article.slug}/bearbeiten/"
    )
    assert refresh(request).article_created == article
    editor = personas.client(personas.alice).get(response["Location"])
    assert editor.status_code == 200 and "Ausgangslage" in text(editor)


def test_it_saves_comments_and_keeps_the_text_on_errors(personas):
    request = file_in_cluster(personas)
    response = post(
        personas, personas.bob, request, "kommentar", {"body": "Danke, @alice!"}, follow=True
    )
    assert "Ihr Kommentar ist gespeichert." in text(response)
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [personas.alice] and not comment.internal
    long_text = "Sehr lang " * 2100
    response = post(personas, personas.bob, request, "kommentar", {"body": long_text})
    assert response.status_code == 200
    assert "Der Kommentar ist zu lang" in text(response)
    assert long_text.strip() in text(response)
    post(personas, personas.alice, request, "kommentar", {"body": "Nur für uns", "internal": "on"})
    assert Comment.objects.get(body="Nur für uns").internal


def test_it_rejects_attachments_with_bad_content(personas, media):
    request = file(personas)
    response = personas.client(personas.bob).post(
        f"/anfragen/{request.pk}/anhaenge/",
        {"attachments": [SimpleUploadedFile("bild.svg", b"<svg onload=alert(1)></svg>")]},
    )
    assert response.status_code == 200
    assert "SVG-, HTML- und XML-Dateien sind aus Sicherheitsgründen nicht erlaubt." in text(
        response
    )
    assert not RequestAttachment.objects.exists()
    response = personas.client(personas.bob).post(
        f"/anfragen/{request.pk}/anhaenge/",
        {"attachments": [SimpleUploadedFile("notiz.txt", b"Hallo")]},
        follow=True,
    )
    assert "1 Datei(en) angehängt." in text(response)
    assert RequestAttachment.objects.get().original_name == "notiz.txt"


def test_it_watches_and_unwatches(personas):
    request = file_in_cluster(personas)
    post(personas, personas.auditor, request, "beobachten")
    assert Watcher.objects.filter(request=request, user=personas.auditor).exists()
    response = post(personas, personas.auditor, request, "nicht-beobachten", follow=True)
    assert "Sie beobachten diese Anfrage nicht mehr." in text(response)
    assert not Watcher.objects.filter(request=request, user=personas.auditor).exists()


def test_it_only_accepts_post(personas):
    request = file_in_cluster(personas)
    assert (
        personas.client(personas.alice).get(f"/anfragen/{request.pk}/uebernehmen/").status_code
        == 405
    )
