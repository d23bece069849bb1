"""Script in template texts, item descriptions and notes stays inert."""

from __future__ import annotations

from amtshilfe.onboarding.services import add_template_item, complete_plan_item, start_onboarding
from amtshilfe.onboarding.tests.plans import items

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>[klick](javascript:alert(1))'


def test_it_keeps_xss_inert_in_titles_descriptions_and_notes(personas):
    add_template_item(
        actor=personas.alice,
        cluster=personas.cluster,
        kind="task",
        title=PAYLOAD[:60],
        description=PAYLOAD,
    )
    plan = start_onboarding(
        actor=personas.alice,
        cluster=personas.cluster,
        newcomer=personas.dora,
        mentor=personas.alice,
    )
    complete_plan_item(actor=personas.dora, item=items(plan)[0], note=PAYLOAD)
    for user, url in [
        (personas.dora, f"/einarbeitung/plan/{plan.pk}/"),
        (personas.alice, "/einarbeitung/cluster/drucker/vorlage/"),
        (personas.dora, "/einarbeitung/willkommen/"),
        (personas.alice, "/einarbeitung/meine-mentees/"),
    ]:
        page = personas.client(user).get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x onerror" not in page and 'onerror="' not in page
        assert 'href="javascript:' not in page
