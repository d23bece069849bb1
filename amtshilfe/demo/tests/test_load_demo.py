"""Loading the demo network "Landkreis Meißen" (amtshilfe/demo/loader.py)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from amtshilfe.accounts.models import User
from amtshilfe.core.models import AuditEvent
from amtshilfe.demo import cast
from amtshilfe.demo.loader import DATA_DIR, cluster_data, load_demo_network, municipality_data
from amtshilfe.experts.models import ClusterMembership, ExpertProfile, Skill, TopicCluster
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole
from amtshilfe.tenancy.services import end_membership, update_municipality
from amtshilfe.wiki.models import Article, Revision
from amtshilfe.wiki.services import edit_article

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def demo(db):
    return load_demo_network(today=TODAY)


def counts() -> dict[str, int]:
    models = (
        Network,
        Municipality,
        User,
        Membership,
        NetworkRole,
        TopicCluster,
        ClusterMembership,
        ExpertProfile,
        Skill,
        Article,
        Revision,
        AuditEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_it_is_idempotent(demo):
    before = counts()
    again = load_demo_network(today=TODAY)
    assert counts() == before
    assert not again.changed
    assert again.network == demo.network


def test_it_creates_nothing_again_on_a_later_day(demo):
    before = counts()
    load_demo_network(today=TODAY + dt.timedelta(days=30))
    assert counts() == before


def test_it_keeps_changes_made_in_the_demo(demo):
    coordinator = User.objects.get(username="koordination")
    riesa = Municipality.objects.get(name="Riesa")
    update_municipality(actor=coordinator, municipality=riesa, population=30000)
    lehmann = User.objects.get(username="m.lehmann")
    end_membership(
        actor=coordinator,
        membership=Membership.objects.get(user=lehmann, municipality__name="Hirschstein"),
    )
    load_demo_network(today=TODAY)
    assert Municipality.objects.get(name="Riesa").population == 30000
    assert (
        not Membership.objects.current()
        .filter(user=lehmann, municipality__name="Hirschstein")
        .exists()
    )


def test_it_audits_every_created_row(demo):
    events = AuditEvent.objects.in_network(demo.network.pk)
    assert events.filter(action="network.created").count() == 1
    assert events.filter(action="municipality.created").count() == 29
    assert events.filter(action="person.created").count() == len(cast.people())
    assert events.filter(action="cluster.created").count() == 10
    assert events.filter(action="network_role.granted").count() == 4
    assert events.filter(action="expert_profile.updated").count() == ExpertProfile.objects.count()


def test_it_admits_the_landkreis_and_its_28_municipalities_from_the_data_set(demo):
    members = Municipality.objects.in_network(demo.network).active()
    assert members.count() == 29
    landkreis = members.get(kind=Municipality.Kind.LANDKREIS)
    assert landkreis.name == "Landkreis Meißen" and landkreis.ags == ""
    for item in municipality_data()["municipalities"]:
        municipality = members.get(name=item["name"])
        assert municipality.official_name == item["official_name"]
        assert municipality.ags == (item["ags"] or "")
        assert municipality.population == item["population"]
        assert municipality.population_date.isoformat() == item["population_date"]
    kinds = [m.kind for m in members]
    assert kinds.count("grosse_kreisstadt") == 5
    assert kinds.count("stadt") == 5
    assert kinds.count("gemeinde") == 18


def test_it_lets_members_join_in_waves_since_the_founding_about_three_months_ago(demo):
    joined = sorted(Municipality.objects.values_list("joined_on", flat=True))
    assert joined[0] == TODAY - dt.timedelta(days=91)
    assert joined[-1] < TODAY
    assert len(set(joined)) > 3
    for membership in Membership.objects.select_related("municipality"):
        assert membership.municipality.joined_on <= membership.started_on <= TODAY


def test_it_creates_ten_clusters_each_with_its_owner_from_the_data_set(demo):
    clusters = TopicCluster.objects.in_network(demo.network)
    assert sorted(clusters.values_list("slug", flat=True)) == sorted(
        c["id"] for c in cluster_data()
    )
    for item in cluster_data():
        cluster = clusters.get(slug=item["id"])
        assert cluster.name == item["name"] and cluster.keywords == item["keywords"]
        owners = [m.user for m in cluster.memberships.filter(role="owner")]
        assert len(owners) == 1
        assert owners[0].full_name == item["topic_owner"]["name"].removeprefix("Dr. ")
        assert Membership.objects.current().filter(user=owners[0], role="it").exists()


DEMO_LOGINS = [  # username, network role, membership role, municipality (DESIGN.md)
    ("koordination", "coordinator", "staff", "Meißen"),
    ("it.riesa", None, "it", "Riesa"),
    ("it.radebeul", None, "it", "Radebeul"),
    ("verwaltung.meissen", None, "staff", "Meißen"),
    ("verwaltung.coswig", None, "staff", "Coswig"),
    ("steuerung.grossenhain", "steering", "staff", "Großenhain"),
    ("steuerung.landkreis", "steering", "staff", "Landkreis Meißen"),
    ("datenschutz", "auditor", "staff", "Landkreis Meißen"),
]


def test_it_creates_the_demo_logins_with_their_roles(demo):
    assert [row[0] for row in DEMO_LOGINS] == list(cast.DEMO_LOGINS)
    for username, network_role, role, municipality in DEMO_LOGINS:
        user = User.objects.get(username=username)
        roles = set(NetworkRole.objects.filter(user=user).values_list("role", flat=True))
        assert roles == ({network_role} if network_role else set()), username
        memberships = Membership.objects.current().filter(user=user)
        assert [(m.municipality.name, m.role) for m in memberships] == [(municipality, role)]


def test_it_sets_the_demo_password_for_every_account(demo):
    assert settings.AMTSHILFE_DEMO_PASSWORD
    for username in cast.DEMO_LOGINS:
        client = Client()
        response = client.post(
            "/konto/anmelden/", {"username": username, "password": settings.AMTSHILFE_DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/start/").status_code == 200
    assert all(u.check_password(settings.AMTSHILFE_DEMO_PASSWORD) for u in User.objects.all())


def test_it_takes_the_password_from_the_setting(db, settings):
    settings.AMTSHILFE_DEMO_PASSWORD = "ein-anderes-passwort"
    load_demo_network(today=TODAY)
    assert User.objects.get(username="it.riesa").check_password("ein-anderes-passwort")


def test_it_spreads_people_over_many_municipalities(demo):
    places = Membership.objects.current().values_list("municipality", flat=True).distinct()
    assert len(places) >= 8
    assert User.objects.count() >= 30
    landkreis_it = (
        Membership.objects.current()
        .filter(role="it", municipality__kind="landkreis")
        .values_list("user", flat=True)
    )
    assert any(Membership.objects.current().filter(user=pk).count() >= 3 for pk in landkreis_it)


def test_it_gives_every_it_specialist_an_expert_profile(demo):
    it_people = set(Membership.objects.current().filter(role="it").values_list("user", flat=True))
    profiles = ExpertProfile.objects.in_network(demo.network)
    assert set(profiles.values_list("user", flat=True)) == it_people
    for profile in profiles:
        assert 2 <= profile.pledged_hours_per_month <= 12
        assert profile.skills.exists()
        assert ClusterMembership.objects.filter(user=profile.user).exists()
    absent = [p for p in profiles if p.is_absent_on(TODAY)]
    assert len(absent) == 1 and absent[0].absent_until > TODAY


def test_it_shows_the_demo_network_on_the_public_home_page(demo):
    page = Client().get("/").content.decode()
    assert cast.NETWORK_NAME in page and "Riesa" in page


def test_it_describes_every_person_consistently():
    people = cast.people()
    names = {m["name"] for m in municipality_data()["municipalities"]} | {cast.LANDKREIS_NAME}
    joining = {name for wave in cast.JOIN_WAVES.values() for name in wave}
    slugs = {c["id"] for c in cluster_data()}
    assert joining == names and len(names) == 29
    assert len({p.username for p in people}) == len(people)
    for person in people:
        assert {person.municipality, *person.also_in} <= names, person.username
        assert person.role in {"staff", "it"} and (person.profile is not None) == (
            person.role == "it"
        ), person.username
        if person.profile is not None:
            assert set(person.profile.clusters) <= slugs, person.username


DATASET_SLUGS = sorted(path.stem for path in (DATA_DIR / "articles").glob("*.md"))
LOCAL_ARTICLES = {  # slug: the only municipality whose members may read it
    "riesa-dateiserver-laufwerke": "Riesa",
    "meissen-buergerbuero-ersatzgeraete": "Meißen",
    "coswig-gaeste-wlan-gutscheine": "Coswig",
}


def test_it_loads_the_70_dataset_articles_and_three_local_ones(demo):
    assert len(DATASET_SLUGS) == 70
    articles = Article.objects.in_network(demo.network)
    assert sorted(articles.values_list("slug", flat=True)) == sorted(
        [*DATASET_SLUGS, *LOCAL_ARTICLES]
    )
    assert demo.created["article"] == 73
    assert set(articles.values_list("status", flat=True)) == {Article.Status.PUBLISHED}
    assert all(article.revisions.count() == 1 for article in articles)
    assert AuditEvent.objects.filter(action="article.created").count() == 73
    assert sorted(articles.public().values_list("slug", flat=True)) == sorted(cast.PUBLIC_ARTICLES)
    scoped = articles.filter(visibility=Article.Visibility.MUNICIPALITY)
    assert {a.slug: a.municipality.name for a in scoped} == LOCAL_ARTICLES
    assert articles.get(slug="druckerwarteschlange-haengt").cluster.slug == "arbeitsplatz-drucker"


def test_it_shows_local_articles_only_to_their_municipality(demo):
    def readable(username: str) -> set[str]:
        user = User.objects.get(username=username)
        return set(
            Article.objects.readable_by(user, demo.network)
            .filter(slug__in=LOCAL_ARTICLES)
            .values_list("slug", flat=True)
        )

    assert readable("it.riesa") == {"riesa-dateiserver-laufwerke"}
    assert readable("verwaltung.meissen") == {"meissen-buergerbuero-ersatzgeraete"}
    assert readable("verwaltung.coswig") == {"coswig-gaeste-wlan-gutscheine"}
    assert readable("it.radebeul") == set()
    assert readable("koordination") == set(LOCAL_ARTICLES)
    anonymous = Article.objects.readable_by(None, demo.network)
    assert sorted(anonymous.values_list("slug", flat=True)) == sorted(cast.PUBLIC_ARTICLES)


def test_it_keeps_articles_changed_in_the_demo(demo):
    article = Article.objects.get(slug="phishing-melden")
    edit_article(
        actor=User.objects.get(username="koordination"),
        article=article,
        title="Geändert in der Demo",
        body=article.body,
        tags=article.tags,
        base_version=article.version,
    )
    load_demo_network(today=TODAY)
    assert Article.objects.get(pk=article.pk).title == "Geändert in der Demo"
    assert article.revisions.count() == 2


def test_it_indexes_the_new_articles_once_after_the_commit(db, django_capture_on_commit_callbacks):
    with (
        mock.patch("amtshilfe.wiki.search.indexer.reindex_network") as reindex,
        mock.patch("amtshilfe.wiki.tasks.enqueue_index_article") as per_article,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            result = load_demo_network(today=TODAY)
        reindex.assert_called_once_with(result.network)
        with django_capture_on_commit_callbacks(execute=True):
            load_demo_network(today=TODAY)
        reindex.assert_called_once()
    per_article.assert_not_called()


def test_it_indexes_article_by_article_without_a_bulk_reindex(
    db, django_capture_on_commit_callbacks
):
    with (
        mock.patch("amtshilfe.wiki.search.indexer.reindex_network", None),
        mock.patch("amtshilfe.wiki.tasks.enqueue_index_article") as per_article,
        django_capture_on_commit_callbacks(execute=True),
    ):
        load_demo_network(today=TODAY)
    assert per_article.call_count == 73
