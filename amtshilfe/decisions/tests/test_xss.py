"""Script in any editable text of a proposal never reaches the browser as markup."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.decisions.services import add_proposal_comment, cast_vote, record_decision_reasons
from amtshilfe.decisions.tests.proposals import NOW, opened, reload
from amtshilfe.wiki.tests.test_xss import PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(
    f'{p} [{p}](/x) [x](javascript:alert(9)) <a href="javascript:alert(8)">a</a>' for p in PAYLOADS
)


@pytest.fixture
def hostile(personas):
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        proposal = opened(
            personas,
            subject=PAYLOADS[0] + PAYLOADS[1],
            background=TEXT,
            options=PAYLOADS,
            recommendation=TEXT,
            costs_text=TEXT,
            result_visibility="public",
        )
        add_proposal_comment(actor=personas.coordinator, proposal=proposal, body=TEXT)
        cast_vote(
            actor=personas.steering,
            proposal=proposal,
            choice="accept",
            reason=TEXT,
            now=NOW + dt.timedelta(hours=1),
        )
        record_decision_reasons(actor=personas.coordinator, proposal=reload(proposal), text=TEXT)
    return reload(proposal)


def test_it_renders_every_text_inert_on_the_proposal_page(personas, hostile):
    for user in (personas.coordinator, personas.steering, personas.bob):
        page = personas.client(user).get(f"/entscheidungen/{hostile.pk}/").content.decode()
        assert "&lt;script&gt;" in page  # the payload is there, as text
        assert_inert(page)


def test_it_renders_the_lists_and_the_public_register_inert(personas, hostile):
    pages = [
        personas.client(personas.coordinator).get("/entscheidungen/"),
        personas.client(None).get("/entscheidungen/oeffentlich/"),
        personas.client(None).get(f"/entscheidungen/oeffentlich/{hostile.pk}/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert_inert(response.content.decode())


def test_it_renders_the_edit_form_inert(personas):
    from amtshilfe.decisions.tests.proposals import draft

    proposal = draft(personas, subject=PAYLOADS[0], background=TEXT, options=PAYLOADS)
    page = (
        personas.client(personas.coordinator)
        .get(f"/entscheidungen/{proposal.pk}/bearbeiten/")
        .content.decode()
    )
    assert_inert(page)
