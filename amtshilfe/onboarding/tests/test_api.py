"""`/api/v1/onboarding`: the same rules as the pages."""

from __future__ import annotations

from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.onboarding.tests.plans import items, started


def api(user):
    _token, raw = create_api_token(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_lists_and_reads_plans_of_the_newcomer(personas):
    plan = started(personas)
    data = api(personas.dora).get("/api/v1/onboarding/plans").json()
    assert [(p["id"], p["items_total"], p["can_tick"]) for p in data] == [(plan.pk, 3, True)]
    detail = api(personas.alice).get(f"/api/v1/onboarding/plans/{plan.pk}").json()
    assert [i["kind"] for i in detail["items"]] == ["article", "person", "shadow"]


def test_it_hides_from_other_municipality(personas):
    plan = started(personas)
    for user in (personas.bob, personas.charlie, personas.steering):
        client = api(user)
        assert client.get("/api/v1/onboarding/plans").json() == []
        assert client.get(f"/api/v1/onboarding/plans/{plan.pk}").status_code == 404


def test_it_hides_from_other_network(personas):
    plan = started(personas)
    item = items(plan)[0]
    olga = api(personas.olga)
    assert olga.get(f"/api/v1/onboarding/plans/{plan.pk}").status_code == 404
    url = f"/api/v1/onboarding/plans/{plan.pk}/items/{item.pk}/done"
    assert olga.post(url, {}, content_type="application/json").status_code == 404


def test_it_ticks_and_reopens(personas):
    plan = started(personas)
    item = items(plan)[0]
    base = f"/api/v1/onboarding/plans/{plan.pk}/items/{item.pk}"
    done = api(personas.dora).post(
        f"{base}/done", {"note": "gelesen"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["items_done"] == 1
    again = api(personas.dora).post(f"{base}/done", {}, content_type="application/json")
    assert again.status_code == 422
    assert again.json()["detail"][0]["msg"] == "Dieser Punkt ist schon erledigt."
    reopened = api(personas.alice).post(f"{base}/reopen")
    assert reopened.json()["items_done"] == 0


def test_it_requires_rw_access(personas):
    plan = started(personas)
    item = items(plan)[0]
    response = api(personas.coordinator).post(
        f"/api/v1/onboarding/plans/{plan.pk}/items/{item.pk}/done",
        {},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Dafür fehlt Ihnen die Berechtigung."


def test_it_gives_the_learning_curve_to_governance_only(personas):
    started(personas)
    assert api(personas.steering).get("/api/v1/onboarding/learning-curve").json() == []
    assert api(personas.dora).get("/api/v1/onboarding/learning-curve").status_code == 403
