"""`amtshilfe import-kb DIR` and `amtshilfe export-kb DIR` (amtshilfe/wiki/kb_io.py)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from amtshilfe.core.models import AuditEvent
from amtshilfe.demo.loader import DATA_DIR, cluster_data
from amtshilfe.experts.services import create_cluster
from amtshilfe.wiki.kb_io import import_article, parse_article_file, render_article_file
from amtshilfe.wiki.models import Article, Revision
from amtshilfe.wiki.services import create_article, edit_article, set_article_archived

DATASET = DATA_DIR / "articles"  # the 70 articles of ../shared/dataset/articles/
GOOD = ("abwesenheit-outlook.md", "druckerwarteschlange-haengt.md", "vpn-fehlermeldungen.md")


@pytest.fixture
def kb(personas):
    """The personas' network with the ten topic clusters of the data set."""
    personas.clusters = {
        item["id"]: create_cluster(
            actor=None,
            network=personas.network,
            slug=item["id"],
            name=item["name"],
            description=item["description"],
            keywords=item["keywords"],
        )
        for item in cluster_data()
    }
    return personas


@pytest.fixture
def source(tmp_path: Path) -> Path:
    directory = tmp_path / "quelle"
    directory.mkdir()
    for path in DATASET.glob("*.md"):
        shutil.copy(path, directory / path.name)
    return directory


@pytest.fixture
def few(tmp_path: Path) -> Path:
    """Three good files, to which a test adds bad ones."""
    directory = tmp_path / "wenige"
    directory.mkdir()
    for name in GOOD:
        shutil.copy(DATASET / name, directory / name)
    return directory


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_kb(directory: Path, *args: str) -> tuple[str, str]:
    return run("import_kb", str(directory), "--network", "testkreis", *args)


def original(path: Path) -> tuple[dict, str]:
    """Front matter and text of a data-set file, read without our parser."""
    _start, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body.strip()


def counts() -> tuple[int, int, int]:
    return Article.objects.count(), Revision.objects.count(), AuditEvent.objects.count()


def test_it_imports_the_70_dataset_articles_published_with_cluster_tags_and_date(kb, source):
    out, err = import_kb(source)
    assert "neu 70, geändert 0, unverändert 0, fehlerhaft 0" in out and err == ""
    articles = Article.objects.in_network(kb.network)
    assert articles.count() == 70
    for path in sorted(source.glob("*.md")):
        front, body = original(path)
        article = articles.get(slug=front["id"])
        assert article.status == Article.Status.PUBLISHED
        assert article.visibility == Article.Visibility.NETWORK and article.municipality is None
        assert article.cluster.slug == front["cluster"]
        assert (article.title, article.tags, article.body) == (front["title"], front["tags"], body)
        assert article.source_updated == front["updated"]
        revision = article.current_revision
        assert revision.number == 1 and revision.author is None
        assert revision.state == Revision.State.PUBLISHED
    assert AuditEvent.objects.filter(action="article.created", actor=None).count() == 70


def test_it_changes_nothing_when_run_twice(kb, source):
    import_kb(source)
    before = counts()
    out, _err = import_kb(source)
    assert "neu 0, geändert 0, unverändert 70, fehlerhaft 0" in out
    assert counts() == before


def test_it_makes_exactly_one_new_revision_for_a_changed_file(kb, source):
    import_kb(source)
    path = source / "druckerwarteschlange-haengt.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Nachtrag\n\nNeu.\n", "utf-8")
    articles, revisions, events = counts()
    out, _err = import_kb(source)
    assert "neu 0, geändert 1, unverändert 69, fehlerhaft 0" in out
    assert counts() == (articles, revisions + 1, events + 1)
    article = Article.objects.get(slug="druckerwarteschlange-haengt")
    assert article.body.endswith("## Nachtrag\n\nNeu.") and article.version == 2
    assert article.current_revision.number == 2 and article.current_revision.author is None
    event = AuditEvent.objects.get(action="article.imported")
    assert event.actor_name == "system" and event.after == {"revision": 2}
    import_kb(source)
    assert article.revisions.count() == 2


def test_it_updates_cluster_and_date_without_a_new_revision(kb, source):
    import_kb(source)
    path = source / "vpn-fehlermeldungen.md"
    text = path.read_text(encoding="utf-8")
    front, _body = original(path)
    text = text.replace(f"updated: {front['updated']}", "updated: 2025-01-31")
    path.write_text(text.replace("cluster: netzwerk-vpn", "cluster: fachverfahren"), "utf-8")
    out, _err = import_kb(source)
    assert "geändert 1" in out
    article = Article.objects.get(slug="vpn-fehlermeldungen")
    assert (
        article.source_updated == dt.date(2025, 1, 31) and article.cluster.slug == "fachverfahren"
    )
    assert article.revisions.count() == 1
    event = AuditEvent.objects.get(action="article.imported")
    assert event.before == {
        "cluster": "netzwerk-vpn",
        "source_updated": front["updated"].isoformat(),
    }
    assert event.after == {"cluster": "fachverfahren", "source_updated": "2025-01-31"}


BAD_FILES = {
    "ohne-id.md": (
        '---\ntitle: "Ohne Kürzel"\ncluster: fachverfahren\n---\n\nText.\n',
        "Die Angabe „id“ (Kürzel des Artikels) fehlt.",
    ),
    "falsches-kuerzel.md": (
        '---\nid: Drucker Neu\ntitle: "X"\ncluster: fachverfahren\n---\n\nText.\n',
        "Das Kürzel „Drucker Neu“ ist ungültig",
    ),
    "unbekanntes-cluster.md": (
        '---\nid: unbekannt\ntitle: "X"\ncluster: xyz\n---\n\nText.\n',
        "Themencluster „xyz“ gibt es im Netzwerk nicht.",
    ),
    "leerer-titel.md": (
        '---\nid: leer\ntitle: "  "\ncluster: fachverfahren\n---\n\nText.\n',
        "Der Titel ist leer.",
    ),
    "kaputtes-yaml.md": (
        '---\nid: kaputt\ntitle: "nicht geschlossen\ncluster: fachverfahren\n---\n\nText.\n',
        "Die Kopfdaten sind kein gültiges YAML",
    ),
    "latin1.md": (
        '---\nid: latin\ntitle: "Drucker in Meißen"\ncluster: fachverfahren\n---\n\nÄrger.\n',
        "Die Datei ist nicht UTF-8-kodiert",
    ),
    "tags-kein-liste.md": (
        '---\nid: tags\ntitle: "X"\ncluster: fachverfahren\ntags: drucker\n---\n\nText.\n',
        "Die Schlagwörter („tags“) müssen eine Liste sein",
    ),
    "falsches-datum.md": (
        '---\nid: datum\ntitle: "X"\ncluster: fachverfahren\nupdated: 2024-13-45\n---\n\nT.\n',
        "Das Datum „2024-13-45“ („updated“) ist ungültig",
    ),
    "ohne-kopfdaten.md": ("# Nur Text\n", "Die Kopfdaten fehlen"),
    "ohne-text.md": (
        '---\nid: ohne-text\ntitle: "X"\ncluster: fachverfahren\n---\n\n\n',
        "Der Text des Artikels (nach den Kopfdaten) ist leer.",
    ),
    "zweimal.md": (
        '---\nid: vpn-fehlermeldungen\ntitle: "X"\ncluster: fachverfahren\n---\n\nText.\n',
        "Das Kürzel „vpn-fehlermeldungen“ steht schon in",
    ),
    "tippfehler.md": (
        '---\nid: tipp\ntitel: "X"\ncluster: fachverfahren\n---\n\nText.\n',
        "Unbekannte Angabe „titel“",
    ),
}


def write_bad(directory: Path, name: str) -> None:
    text, _reason = BAD_FILES[name]
    encoding = "latin-1" if name == "latin1.md" else "utf-8"
    (directory / name).write_bytes(text.encode(encoding))


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_it_reports_a_bad_file_with_its_name_and_reason_and_imports_nothing(kb, few, name):
    write_bad(few, name)
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nichts importiert: 1 Datei ist fehlerhaft"):
        call_command(
            "import_kb", str(few), "--network", "testkreis", stdout=io.StringIO(), stderr=err
        )
    assert f"{name}: {BAD_FILES[name][1]}" in err.getvalue()
    assert counts() == before


def test_it_reports_every_bad_file_at_once(kb, few):
    for name in BAD_FILES:
        write_bad(few, name)
    err = io.StringIO()
    with pytest.raises(CommandError, match=f"{len(BAD_FILES)} Dateien sind fehlerhaft"):
        call_command(
            "import_kb", str(few), "--network", "testkreis", stdout=io.StringIO(), stderr=err
        )
    for name, (_text, reason) in BAD_FILES.items():
        assert f"{name}: {reason}" in err.getvalue()
    assert not Article.objects.exists()


def test_it_imports_the_valid_files_with_skip_invalid_and_still_lists_the_bad_ones(kb, few):
    for name in BAD_FILES:
        write_bad(few, name)
    out, err = import_kb(few, "--skip-invalid")
    assert f"neu 3, geändert 0, unverändert 0, fehlerhaft {len(BAD_FILES)}" in out
    assert sorted(Article.objects.values_list("slug", flat=True)) == sorted(
        name.removesuffix(".md") for name in GOOD
    )
    assert all(name in err for name in BAD_FILES)


def test_it_saves_nothing_in_a_dry_run(kb, source):
    before = counts()
    out, _err = import_kb(source, "--dry-run")
    assert "Probelauf" in out and "neu 70" in out
    assert counts() == before


def test_it_needs_the_network_when_there_are_several(kb, few):
    with pytest.raises(CommandError, match="mehrere Netzwerke"):
        run("import_kb", str(few))
    with pytest.raises(CommandError, match="Das Netzwerk „gibt-es-nicht“ gibt es nicht"):
        run("import_kb", str(few), "--network", "gibt-es-nicht")
    with pytest.raises(CommandError, match="Verzeichnis"):
        import_kb(few / "fehlt")


def test_it_exports_the_imported_dataset_unchanged(kb, source, tmp_path):
    import_kb(source)
    target = tmp_path / "export"
    out, _err = run("export_kb", str(target), "--network", "testkreis")
    assert "70 Artikel exportiert" in out
    originals = sorted(p.name for p in source.glob("*.md"))
    assert sorted(p.name for p in target.glob("*.md")) == originals
    for name in originals:
        assert original(target / name) == original(source / name), name
        # Even byte for byte: the export writes the data set's style.
        assert (target / name).read_bytes() == (source / name).read_bytes(), name


def test_it_changes_nothing_when_its_own_export_is_imported_again(kb, source, tmp_path):
    import_kb(source)
    article = Article.objects.get(slug="kennwort-aendern")
    edit_article(
        actor=kb.coordinator,
        article=article,
        title=article.title,
        body=article.body.replace("\n", "\r\n") + "\r\n\r\nErgänzt im Browser.  ",
        tags=[*article.tags, "Neu"],
        base_version=article.version,
    )
    target = tmp_path / "export"
    run("export_kb", str(target), "--network", "testkreis")
    front, body = original(target / "kennwort-aendern.md")
    assert body.endswith("Ergänzt im Browser.") and "\r" not in body
    assert front["updated"] == Article.objects.get(pk=article.pk).current_revision.created_at.date()
    before = counts()
    out, _err = import_kb(target)
    assert "unverändert 70" in out and counts() == before


def test_it_exports_only_published_articles(kb, tmp_path):
    cluster = kb.clusters["fachverfahren"]
    published = create_article(
        actor=None, network=kb.network, cluster=cluster, title="Veröffentlicht", body="Text."
    )
    create_article(actor=kb.dora, network=kb.network, cluster=cluster, title="Wartet", body="Text.")
    archived = create_article(
        actor=None, network=kb.network, cluster=cluster, title="Alt", body="Text."
    )
    set_article_archived(actor=kb.coordinator, article=archived, archived=True)
    out, _err = run("export_kb", str(tmp_path / "export"), "--network", "testkreis")
    assert [p.name for p in (tmp_path / "export").iterdir()] == [f"{published.slug}.md"]
    assert "2 nicht veröffentlichte oder archivierte Artikel wurden ausgelassen" in out


def test_it_keeps_an_article_of_one_municipality_restricted_through_export_and_import(kb):
    cluster = kb.clusters["netzwerk-vpn"]
    article = create_article(
        actor=None,
        network=kb.network,
        cluster=cluster,
        title="Server in Riesa",
        body="Nur für Riesa.",
        visibility=Article.Visibility.MUNICIPALITY,
        municipality=kb.a,
        source_updated=dt.date(2025, 5, 1),
    )
    text = render_article_file(article)
    assert "visibility: municipality\nmunicipality: riesa\n" in text
    parsed = parse_article_file("riesa.md", text.encode())
    assert (parsed.visibility, parsed.municipality) == ("municipality", "riesa")
    _article, outcome = import_article(
        network=kb.network,
        slug=parsed.slug,
        cluster=cluster,
        title=parsed.title,
        body=parsed.body,
        tags=parsed.tags,
        source_updated=parsed.updated,
        visibility=parsed.visibility,
        municipality=kb.a,
    )
    assert outcome == "unchanged"
    _article, outcome = import_article(
        network=kb.network,
        slug=parsed.slug,
        cluster=cluster,
        title=parsed.title,
        body=parsed.body,
        tags=parsed.tags,
        source_updated=parsed.updated,
        visibility=Article.Visibility.MUNICIPALITY,
        municipality=kb.b,
    )
    assert outcome == "changed"
    event = AuditEvent.objects.get(action="article.imported")
    assert event.before == {"municipality": "riesa"} and event.after == {"municipality": "meissen"}


@pytest.mark.parametrize(
    ("slug", "title", "tags"),
    [
        ("2024", 'Zitat "VPN": 1 # 2 \\ Ende', ["on", "1.5", "a, b", "[x]", "#tag", "ä-ö"]),
        ("2_024", "- Liste? nein: Titel", ["null", "2024-01-01", "x: y"]),
        ("no", "Steuerzeichen \x85 und \u2028 Zeile", ["yes"]),
        ("mit_unterstrich", "Normal", []),
    ],
)
def test_it_writes_front_matter_that_yaml_reads_back_unchanged(kb, slug, title, tags):
    article = create_article(
        actor=None,
        network=kb.network,
        cluster=kb.clusters["fachverfahren"],
        title=title,
        body="Text.",
        tags=tags,
        slug=slug,
    )
    parsed = parse_article_file(f"{slug}.md", render_article_file(article).encode())
    assert (parsed.slug, parsed.title, parsed.tags) == (slug, article.title, article.tags)


def test_it_lists_every_reason_of_a_bad_file(kb, few):
    (few / "kaputt.md").write_text(
        '---\nid: X\ntitle: ""\ncluster: nix\ntags: 3\nupdated: gestern\n'
        "visibility: municipality\nmunicipality: fernstadt\n---\n",
        "utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_kb", str(few), "--network", "testkreis", stdout=io.StringIO(), stderr=err
        )
    reasons = [line.removeprefix("kaputt.md: ") for line in err.getvalue().splitlines()]
    assert reasons == [
        "Das Kürzel „X“ ist ungültig: Erlaubt sind nur Kleinbuchstaben a–z, Ziffern, Binde- und "
        "Unterstriche.",
        "Der Titel ist leer.",
        "Die Schlagwörter („tags“) müssen eine Liste sein, z. B. [drucker, toner].",
        "Das Datum „gestern“ („updated“) ist ungültig; erwartet wird JJJJ-MM-TT, z. B. 2024-06-24.",
        "Themencluster „nix“ gibt es im Netzwerk nicht.",
        "Kommune „fernstadt“ gibt es im Netzwerk nicht.",
        "Der Text des Artikels (nach den Kopfdaten) ist leer.",
    ]
