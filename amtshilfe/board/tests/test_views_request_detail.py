"""A request's page (/anfragen/<pk>/): visibility, internal comments, history, attachments, queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amtshilfe.board.services import (
    add_comment,
    add_request_attachment,
    assign_request,
    set_request_urgency,
    take_request,
)
from amtshilfe.board.tests.requests import add_dora_to_cluster, file, file_in_cluster
from amtshilfe.wiki.tests.articles import use_tmp_media

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
SECRET = "Interner Hinweis: das Admin-Kennwort steht im Tresor"


@pytest.fixture
def media(settings, tmp_path):
    use_tmp_media(settings, tmp_path)


def page(personas, user, request):
    return personas.client(user).get(f"/anfragen/{request.pk}/")


def attach(personas, request, name="fehler.png", content=PNG):
    upload = SimpleUploadedFile(name, content)
    return add_request_attachment(
        actor=personas.bob, request=request, file=upload, name=name, size=len(content)
    )


def test_it_hides_from_other_municipality(personas, media):
    request = file(personas)
    attachment = attach(personas, request)
    assert page(personas, personas.bob, request).status_code == 200
    for outsider in (personas.charlie, personas.olga, personas.dora):
        assert page(personas, outsider, request).status_code == 404
        url = f"/anfragen/{request.pk}/anhang/{attachment.pk}/"
        assert personas.client(outsider).get(url).status_code == 404


def test_it_never_shows_internal_comments_to_the_administration(personas):
    request = file_in_cluster(personas)
    add_comment(actor=personas.alice, request=request, body=SECRET, internal=True)
    add_comment(actor=personas.alice, request=request, body="Öffentliche Rückfrage", internal=False)
    for staff in (personas.bob, personas.auditor):  # staff of the requesting municipality A
        html = page(personas, staff, request).content.decode()
        assert "Öffentliche Rückfrage" in html
        assert "Tresor" not in html and "intern</span>" not in html
        assert html.count('class="request-comment"') == 1  # not even counted
    assert page(personas, personas.charlie, request).status_code == 404  # staff B: nothing
    it_html = page(personas, personas.alice, request).content.decode()
    assert SECRET in it_html and "intern</span>" in it_html


def test_it_tells_the_history_in_german_sentences(personas):
    request = file_in_cluster(personas)
    take_request(actor=personas.alice, request=request)
    set_request_urgency(actor=personas.alice, request=request, urgency="high")
    html = page(personas, personas.bob, request).content.decode()
    assert "Bob Test hat die Anfrage gestellt." in html
    assert "Coordinator Test hat die Anfrage dem Themencluster „Drucker“ zugeordnet." in html
    assert "Alice Test hat die Anfrage übernommen." in html
    assert "Alice Test hat die Dringlichkeit von „normal“ auf „hoch“ geändert." in html
    assert "Alice Test hat den Status von „Neu“ auf „In Arbeit“ geändert." in html
    assert "gerade eben" in html
    assert "In Arbeit: Alice Test kümmert sich darum." in html
    it_html = page(personas, personas.alice, request).content.decode()
    assert "Alice Test hat die Karte von „Eingang“ nach „In Arbeit“ verschoben." in it_html


def test_it_shows_the_work_panel_only_to_the_it_side(personas):
    request = file(personas)
    assert "Ich übernehme" not in page(personas, personas.bob, request).content.decode()
    assert 'id="bearbeitung"' not in page(personas, personas.bob, request).content.decode()
    request = file_in_cluster(personas)
    assert "Ich übernehme" in page(personas, personas.alice, request).content.decode()


def test_it_shows_the_triage_suggestion_with_its_confidence(personas, triage):
    triage.answer(personas.cluster, 0.42)
    request = file(personas)
    html = page(personas, personas.coordinator, request).content.decode()
    assert "Vorschlag der automatischen Triage: <strong>Drucker</strong> (Sicherheit 42 %)" in html
    assert "„Drucker“ übernehmen" in html


def test_it_suggests_experts_with_their_reasons(personas):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    html = page(personas, personas.coordinator, request).content.decode()
    assert "Dora Test" in html and "Alice Test" in html
    assert "keine Stunden zugesagt" in html  # suggest_experts' explanation
    assert html.count('name="assignee" value="') >= 2


def test_it_shows_images_inline_and_serves_files_only_to_those_who_see(personas, media):
    request = file(personas)
    image = attach(personas, request)
    text = attach(personas, request, name="protokoll.txt", content=b"Fehler 0x80004005")
    html = page(personas, personas.bob, request).content.decode()
    assert f'<img src="/anfragen/{request.pk}/anhang/{image.pk}/"' in html
    assert f'href="/anfragen/{request.pk}/anhang/{text.pk}/" download' in html
    response = personas.client(personas.bob).get(f"/anfragen/{request.pk}/anhang/{text.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Fehler 0x80004005"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    other = file(personas)
    wrong = personas.client(personas.bob).get(f"/anfragen/{other.pk}/anhang/{text.pk}/")
    assert wrong.status_code == 404


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_it_needs_the_same_number_of_queries_for_5_and_30_comments(personas, media):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    assign_request(actor=personas.alice, request=request, assignee=personas.dora)
    url = f"/anfragen/{request.pk}/"
    clients = {
        name: personas.client(getattr(personas, name)) for name in ("bob", "alice", "coordinator")
    }

    def add(n):
        for i in range(n):
            add_comment(actor=personas.alice, request=request, body=f"Öffentlich {i}")
            add_comment(actor=personas.dora, request=request, body=f"Intern {i}", internal=True)
            attach(personas, request, name=f"datei-{i}.txt", content=b"Text")
            set_request_urgency(
                actor=personas.alice, request=request, urgency="high" if i % 2 else "low"
            )

    add(5)
    few = {name: queries_for(client, url) for name, client in clients.items()}
    add(25)
    many = {name: queries_for(client, url) for name, client in clients.items()}
    assert few == many
    assert max(many.values()) <= 40
