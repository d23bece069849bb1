"""Import and export of knowledge-base articles as Markdown files with YAML front matter.

The format (``amtshilfe import-kb DIR`` / ``amtshilfe export-kb DIR``; the development data
set in ``../shared/dataset/articles/`` is written in it)::

    ---
    id: druckerwarteschlange-haengt        # the article's slug: a-z, 0-9, "-" (and "_")
    title: "Druckauftrag hängt in der Druckerwarteschlange"
    cluster: arbeitsplatz-drucker          # slug of a topic cluster of the network
    tags: [drucker, spooler]               # optional, a list of texts
    updated: 2024-06-24                    # optional, when the text was last changed
    visibility: municipality               # optional: public | network | municipality
    municipality: riesa                    # slug of a municipality, only with "municipality"
    ---

    Markdown text …

``visibility`` and ``municipality`` extend the five keys of the contract (DESIGN.md). Export
writes them only for articles that are not visible to the whole network, so that an article
restricted to one municipality never becomes readable network-wide by an export and a
re-import elsewhere; files without them (the data set) are unaffected.

Import is idempotent by ``id``: an unchanged file changes nothing (no revision, no audit
event). A changed text, title or tag list becomes a new published revision written by the
system (no person); a changed cluster, date or visibility alone changes the article without a
revision. Either way one ``article.imported`` event is recorded. Files are checked completely
before anything is written; bad files are reported with their name and a German reason, and
nothing is imported unless ``skip_invalid`` is set. One transaction per run.

Export writes every published article (archived ones, drafts and articles still waiting for
their first review are left out) as ``<slug>.md``. ``updated`` is the date from the source
while the current text is the imported one, otherwise the date of the current revision.

Normalisation on import (and therefore on export): line ends become ``\\n``, blank lines
before and whitespace after the text are dropped, tags are lower-cased and de-duplicated
(``services.clean_tags``), the title is stripped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.core.audit import record_event
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.wiki.models import Article, ArticleQuerySet, Revision
from amtshilfe.wiki.services import (
    RESERVED_SLUGS,
    _validate_content,
    _validate_visibility,
    apply_revision,
    clean_tags,
    create_article,
    next_revision_number,
    schedule_reindex,
)

FRONT_MATTER_KEYS = ("id", "title", "cluster", "tags", "updated", "visibility", "municipality")
DELIMITER = "---"
# "_" too: slugify() keeps it, so articles created in the browser may have one in their slug.
SLUG_PATTERN = re.compile(r"[a-z0-9_-]+")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
SLUG_MAX_LENGTH = 120
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 200_000
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay text so that a bad date is reported, not raised."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader subclass


# --- Reading files -------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFile:
    """One checked file; cluster and municipality are still slugs (checked per network)."""

    name: str
    slug: str
    title: str
    cluster: str
    tags: list[str]
    updated: dt.date | None
    body: str
    visibility: str | None = None
    municipality: str | None = None


@dataclass(frozen=True)
class FileProblem:
    """Why a file cannot be imported, in German."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class ArticleFileError(Exception):
    """A file that is not a valid article; ``reasons`` are German sentences."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def normalize_body(body: str) -> str:
    """The article text as stored: ``\\n`` line ends, no blank lines before, no space after."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_BLANK_LINES.sub("", body).rstrip()


def split_front_matter(text: str) -> tuple[str, str]:
    """(YAML between the first two ``---`` lines, the rest) of a file's text."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != DELIMITER:
        raise ArticleFileError(
            [_("Die Kopfdaten fehlen: Die erste Zeile der Datei muss „---“ sein.")]
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == DELIMITER:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    raise ArticleFileError([_("Die Kopfdaten werden nicht mit einer Zeile „---“ abgeschlossen.")])


def _yaml_problem(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return _("Die Kopfdaten sind kein gültiges YAML.")
    # The front matter starts in the second line of the file.
    return _("Die Kopfdaten sind kein gültiges YAML (Zeile %(line)d, Spalte %(column)d).") % {
        "line": mark.line + 2,
        "column": mark.column + 1,
    }


def _check_slug(value: Any, reasons: list[str]) -> str:
    if value is None:
        reasons.append(_("Die Angabe „id“ (Kürzel des Artikels) fehlt."))
        return ""
    if not isinstance(value, str) or not SLUG_PATTERN.fullmatch(value):
        reasons.append(
            _(
                "Das Kürzel „%(id)s“ ist ungültig: Erlaubt sind nur Kleinbuchstaben a–z, "
                "Ziffern, Binde- und Unterstriche."
            )
            % {"id": value}
        )
    elif len(value) > SLUG_MAX_LENGTH:
        reasons.append(
            _("Das Kürzel ist zu lang (höchstens %(max)d Zeichen).") % {"max": SLUG_MAX_LENGTH}
        )
    elif value in RESERVED_SLUGS:
        reasons.append(_("Das Kürzel „%(id)s“ ist reserviert.") % {"id": value})
    else:
        return value
    return ""


def _check_title(value: Any, reasons: list[str]) -> str:
    if value is None:
        reasons.append(_("Die Angabe „title“ (Titel) fehlt."))
    elif not isinstance(value, str):
        reasons.append(_("Der Titel muss ein Text sein (setzen Sie ihn in Anführungszeichen)."))
    elif not value.strip():
        reasons.append(_("Der Titel ist leer."))
    elif len(value.strip()) > TITLE_MAX_LENGTH:
        reasons.append(
            _("Der Titel darf höchstens %(max)d Zeichen lang sein.") % {"max": TITLE_MAX_LENGTH}
        )
    else:
        return value.strip()
    return ""


def _check_cluster(value: Any, reasons: list[str]) -> str:
    if value is None:
        reasons.append(_("Die Angabe „cluster“ (Kürzel des Themenclusters) fehlt."))
    elif not isinstance(value, str) or not value.strip():
        reasons.append(
            _("Das Themencluster muss mit seinem Kürzel angegeben werden, z. B. „fachverfahren“.")
        )
    else:
        return value.strip()
    return ""


def _check_tags(value: Any, reasons: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        reasons.append(
            _("Die Schlagwörter („tags“) müssen eine Liste sein, z. B. [drucker, toner].")
        )
        return []
    wrong = [item for item in value if not isinstance(item, str)]
    if wrong:
        reasons.append(
            _("Jedes Schlagwort muss ein Text sein; „%(tag)s“ ist keiner.") % {"tag": wrong[0]}
        )
        return []
    return clean_tags(value)


def _check_date(value: Any, reasons: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # only with an explicit !!timestamp tag
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_PATTERN.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    reasons.append(
        _(
            "Das Datum „%(value)s“ („updated“) ist ungültig; erwartet wird JJJJ-MM-TT, z. B. 2024-06-24."
        )
        % {"value": value}
    )
    return None


def _check_visibility(values: dict[str, Any], reasons: list[str]) -> tuple[str | None, str | None]:
    visibility, municipality = values.get("visibility"), values.get("municipality")
    if visibility is not None and visibility not in Article.Visibility.values:
        reasons.append(
            _(
                "Die Sichtbarkeit „%(value)s“ ist unbekannt (erlaubt: public, network, "
                "municipality)."
            )
            % {"value": visibility}
        )
        return None, None
    if visibility == Article.Visibility.MUNICIPALITY:
        if not isinstance(municipality, str) or not municipality.strip():
            reasons.append(
                _(
                    "Bei „visibility: municipality“ fehlt die Angabe „municipality“ "
                    "(Kürzel der Kommune)."
                )
            )
            return None, None
        return visibility, municipality.strip()
    if municipality is not None:
        reasons.append(
            _("Die Angabe „municipality“ ist nur zusammen mit „visibility: municipality“ erlaubt.")
        )
    return visibility, None


@dataclass(frozen=True)
class KnownSlugs:
    """Slugs of a network's clusters and municipalities, to check files against."""

    clusters: frozenset[str]
    municipalities: frozenset[str]

    @classmethod
    def of(cls, network: Network) -> KnownSlugs:
        return cls(
            clusters=frozenset(
                TopicCluster.objects.in_network(network).values_list("slug", flat=True)
            ),
            municipalities=frozenset(
                Municipality.objects.filter(network=network).values_list("slug", flat=True)
            ),
        )


def _check_known(
    known: KnownSlugs | None, cluster: str, municipality: str | None, reasons: list[str]
) -> None:
    if known is None:
        return
    if cluster and cluster not in known.clusters:
        reasons.append(
            _("Themencluster „%(cluster)s“ gibt es im Netzwerk nicht.") % {"cluster": cluster}
        )
    if municipality and municipality not in known.municipalities:
        reasons.append(
            _("Kommune „%(municipality)s“ gibt es im Netzwerk nicht.")
            % {"municipality": municipality}
        )


def parse_article_file(name: str, data: bytes, known: KnownSlugs | None = None) -> ArticleFile:
    """Check one file; raises ArticleFileError with every reason found.

    Without ``known`` nothing is looked up in the database (``resolve_files`` does that).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleFileError(
            [
                _("Die Datei ist nicht UTF-8-kodiert (ungültiges Byte an Stelle %(position)d).")
                % {"position": exc.start}
            ]
        ) from exc
    head, rest = split_front_matter(text)
    try:
        values = _load_yaml(head)
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise ArticleFileError([_yaml_problem(exc)]) from exc
    if values is None:
        raise ArticleFileError([_("Die Kopfdaten sind leer.")])
    if not isinstance(values, dict):
        raise ArticleFileError(
            [_("Die Kopfdaten müssen aus Angaben der Form „name: Wert“ bestehen.")]
        )
    reasons: list[str] = []
    unknown = [str(key) for key in values if key not in FRONT_MATTER_KEYS]
    if unknown:
        reasons.append(
            _("Unbekannte Angabe „%(key)s“ in den Kopfdaten (erlaubt sind: %(allowed)s).")
            % {"key": unknown[0], "allowed": ", ".join(FRONT_MATTER_KEYS)}
        )
    slug = _check_slug(values.get("id"), reasons)
    title = _check_title(values.get("title"), reasons)
    cluster = _check_cluster(values.get("cluster"), reasons)
    tags = _check_tags(values.get("tags"), reasons)
    updated = _check_date(values.get("updated"), reasons)
    visibility, municipality = _check_visibility(values, reasons)
    _check_known(known, cluster, municipality, reasons)
    body = normalize_body(rest)
    if not body:
        reasons.append(_("Der Text des Artikels (nach den Kopfdaten) ist leer."))
    elif len(body) > BODY_MAX_LENGTH:
        reasons.append(_("Der Text ist zu lang (höchstens 200.000 Zeichen)."))
    if reasons:
        raise ArticleFileError(reasons)
    return ArticleFile(
        name=name,
        slug=slug,
        title=title,
        cluster=cluster,
        tags=tags,
        updated=updated,
        body=body,
        visibility=visibility,
        municipality=municipality,
    )


def read_article_files(
    directory: Path, known: KnownSlugs | None = None
) -> tuple[list[ArticleFile], list[FileProblem]]:
    """Every ``*.md`` file of ``directory`` (not its subdirectories), sorted by name."""
    files: list[ArticleFile] = []
    problems: list[FileProblem] = []
    for path in sorted(p for p in directory.glob("*.md") if p.is_file()):
        try:
            files.append(parse_article_file(path.name, path.read_bytes(), known))
        except ArticleFileError as exc:
            problems.extend(FileProblem(path.name, reason) for reason in exc.reasons)
        except OSError as exc:
            problems.append(
                FileProblem(
                    path.name,
                    _("Die Datei kann nicht gelesen werden (%(error)s).")
                    % {"error": exc.strerror or exc},
                )
            )
    return files, problems


@dataclass(frozen=True)
class ResolvedFile:
    """A checked file with its cluster and municipality found in the network."""

    file: ArticleFile
    cluster: TopicCluster
    municipality: Municipality | None


def resolve_files(
    files: Iterable[ArticleFile], network: Network
) -> tuple[list[ResolvedFile], list[FileProblem]]:
    """Find each file's cluster and municipality in ``network``; catch ids used twice."""
    clusters = {c.slug: c for c in TopicCluster.objects.in_network(network)}
    municipalities = {m.slug: m for m in Municipality.objects.filter(network=network)}
    seen: dict[str, str] = {}
    resolved: list[ResolvedFile] = []
    problems: list[FileProblem] = []
    for item in files:
        reasons = []
        cluster = clusters.get(item.cluster)
        if cluster is None:
            reasons.append(
                _("Themencluster „%(cluster)s“ gibt es im Netzwerk nicht.")
                % {"cluster": item.cluster}
            )
        municipality = None
        if item.municipality is not None:
            municipality = municipalities.get(item.municipality)
            if municipality is None:
                reasons.append(
                    _("Kommune „%(municipality)s“ gibt es im Netzwerk nicht.")
                    % {"municipality": item.municipality}
                )
        if item.slug in seen:
            reasons.append(
                _("Das Kürzel „%(id)s“ steht schon in %(other)s.")
                % {"id": item.slug, "other": seen[item.slug]}
            )
        else:
            seen[item.slug] = item.name
        if reasons:
            problems.extend(FileProblem(item.name, reason) for reason in reasons)
        else:
            assert cluster is not None
            resolved.append(ResolvedFile(item, cluster, municipality))
    return resolved, problems


# --- Importing -----------------------------------------------------------------------------


class ImportOutcome(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


def import_article(
    *,
    network: Network,
    slug: str,
    cluster: TopicCluster,
    title: str,
    body: str,
    tags: Iterable[str],
    source_updated: dt.date | None,
    visibility: str | None = None,
    municipality: Municipality | None = None,
) -> tuple[Article, ImportOutcome]:
    """Create or update the article ``slug`` from an imported file (the system is the actor).

    New articles are published at once (visibility ``network`` unless given). For an existing
    article, a changed title, text or tag list becomes a new published revision; cluster,
    ``source_updated`` and (when given) visibility are set without one. Nothing changes, and
    nothing is recorded, when everything is as in the file. A date equal to the one an export
    writes (``export_date``) counts as unchanged, so an export imported again changes nothing.
    """
    title, body, tags = title.strip(), normalize_body(body), clean_tags(tags)
    _validate_content(title, body)
    if cluster.network_id != network.pk:
        raise ValidationError({"cluster": _("Das Themencluster gehört nicht zum Netzwerk.")})
    if visibility is not None:
        _validate_visibility(network, visibility, municipality)
    existing = Article.objects.filter(network=network, slug=slug).first()
    if existing is None:
        article = create_article(
            actor=None,
            network=network,
            cluster=cluster,
            title=title,
            body=body,
            tags=tags,
            visibility=visibility or Article.Visibility.NETWORK,
            municipality=municipality,
            slug=slug,
            message=_("Aus Datei importiert"),
            source_updated=source_updated,
        )
        return article, ImportOutcome.CREATED
    with transaction.atomic():
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("cluster", "municipality", "current_revision")
            .get(pk=existing.pk)
        )
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}

        def note(name: str, old: Any, new: Any) -> None:
            if old != new:
                before[name], after[name] = old, new

        note("title", article.title, title)
        note("tags", article.tags, tags)
        content_changed = bool(before) or normalize_body(article.body) != body
        note("cluster", article.cluster.slug, cluster.slug)
        # The date an export wrote (that of the last edit, for edited articles) is no change.
        if content_changed or source_updated != export_date(article):
            note("source_updated", article.source_updated, source_updated)
        if visibility is not None:
            scoped = municipality if visibility == Article.Visibility.MUNICIPALITY else None
            note("visibility", article.visibility, visibility)
            note(
                "municipality",
                article.municipality.slug if article.municipality else None,
                scoped.slug if scoped else None,
            )
            article.visibility, article.municipality = visibility, scoped
        if not content_changed and not before:
            return article, ImportOutcome.UNCHANGED
        article.cluster = cluster
        if "source_updated" in after:
            article.source_updated = source_updated
        if content_changed:
            revision = Revision.objects.create(
                article=article,
                number=next_revision_number(article),
                title=title,
                body=body,
                tags=tags,
                message=_("Aus Datei importiert"),
                author=None,
                base_version=article.version,
                state=Revision.State.PUBLISHED,
            )
            apply_revision(article, revision, reviewed=True)
            after["revision"] = revision.number
        else:
            article.save()
            schedule_reindex(article)
        record_event(
            action="article.imported",
            actor=None,
            network=network,
            obj=article,
            before=before,
            after=after,
        )
    return article, ImportOutcome.CHANGED


@dataclass
class ImportReport:
    """What an import run did (or would do, in a dry run), and the files it refused."""

    network: Network
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    saved: bool = False

    @property
    def bad_files(self) -> int:
        return len({problem.name for problem in self.problems})

    def summary(self) -> str:
        return _(
            "neu %(created)d, geändert %(changed)d, unverändert %(unchanged)d, fehlerhaft %(bad)d"
        ) % {
            "created": len(self.created),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "bad": self.bad_files,
        }


def import_directory(
    *,
    network: Network,
    directory: Path,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import every ``*.md`` file of ``directory`` into ``network`` in one transaction.

    With bad files and without ``skip_invalid`` nothing is written (``report.saved`` is
    False); a dry run writes nothing either but counts what would happen.
    """
    files, problems = read_article_files(directory, KnownSlugs.of(network))
    resolved, more = resolve_files(files, network)
    report = ImportReport(network=network, dry_run=dry_run, problems=problems + more)
    if report.problems and not skip_invalid and not dry_run:
        report.problems.sort(key=lambda problem: problem.name)
        return report
    outcomes = {
        ImportOutcome.CREATED: report.created,
        ImportOutcome.CHANGED: report.changed,
        ImportOutcome.UNCHANGED: report.unchanged,
    }
    with transaction.atomic():
        for item in resolved:
            source = item.file
            try:
                with transaction.atomic():
                    _article, outcome = import_article(
                        network=network,
                        slug=source.slug,
                        cluster=item.cluster,
                        title=source.title,
                        body=source.body,
                        tags=source.tags,
                        source_updated=source.updated,
                        visibility=source.visibility,
                        municipality=item.municipality,
                    )
            except ValidationError as exc:
                report.problems.extend(FileProblem(source.name, m) for m in exc.messages)
                continue
            outcomes[outcome].append(source.slug)
        report.saved = not dry_run and (skip_invalid or not report.problems)
        if not report.saved:
            transaction.set_rollback(True)
    report.problems.sort(key=lambda problem: problem.name)
    return report


def find_network(slug: str | None) -> Network:
    """The network named on the command line, or the only one; ValidationError otherwise."""
    if slug:
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise ValidationError(_("Das Netzwerk „%(slug)s“ gibt es nicht.") % {"slug": slug})
        return network
    networks = list(Network.objects.order_by("slug")[:2])
    if not networks:
        raise ValidationError(_("Es gibt noch kein Netzwerk."))
    if len(networks) > 1:
        raise ValidationError(
            _("Es gibt mehrere Netzwerke; bitte wählen Sie eines mit --network KÜRZEL.")
        )
    return networks[0]


# --- Exporting -----------------------------------------------------------------------------


def exportable_articles(network: Network) -> ArticleQuerySet:
    """Published articles of ``network`` (not archived, no drafts, none waiting for review)."""
    return (
        Article.objects.in_network(network)
        .published()
        .select_related("cluster", "municipality", "current_revision")
        .order_by("slug")
    )


def export_date(article: Article) -> dt.date:
    """The source's date while the text is the imported one, else the date of the last edit."""
    revision = article.current_revision
    if article.source_updated is not None and (revision is None or revision.author_id is None):
        return article.source_updated
    changed = revision.created_at if revision is not None else article.updated_at
    return timezone.localdate(changed)


def _scalar(value: str, *, in_list: bool = False) -> str:
    """``value`` plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain = value == value.strip() and _load_yaml(f"[{value}]" if in_list else value) == (
            [value] if in_list else value
        )
    except (yaml.YAMLError, ValueError, TypeError):
        plain = False
    return value if plain else _quoted(value)


def _quoted(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; checked again in render_front_matter.
    return json.dumps(value, ensure_ascii=False)


def front_matter_values(article: Article) -> dict[str, Any]:
    """The front matter of ``article`` in file order (``updated`` as ISO date text)."""
    values: dict[str, Any] = {
        "id": article.slug,
        "title": article.title,
        "cluster": article.cluster.slug,
        "tags": list(article.tags),
        "updated": export_date(article).isoformat(),
    }
    if article.visibility != Article.Visibility.NETWORK:
        values["visibility"] = article.visibility
    if article.municipality is not None:
        values["municipality"] = article.municipality.slug
    return values


def render_front_matter(values: dict[str, Any]) -> str:
    """YAML in the data set's style: ``title`` quoted, ``tags`` as a flow list."""
    lines = []
    for key, value in values.items():
        if key == "title":
            lines.append(f"{key}: {_quoted(value)}")
        elif key == "tags":
            lines.append(f"{key}: [{', '.join(_scalar(tag, in_list=True) for tag in value)}]")
        else:
            lines.append(f"{key}: {_scalar(str(value))}")
    text = "\n".join(lines) + "\n"
    try:
        same = _load_yaml(text) == values
    except (yaml.YAMLError, ValueError, TypeError):
        same = False
    if not same:  # exotic characters: let PyYAML choose the quoting
        text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1_000_000)
    return text


def render_article_file(article: Article) -> str:
    """The text of ``<slug>.md`` for ``article``."""
    head = render_front_matter(front_matter_values(article))
    return f"{DELIMITER}\n{head}{DELIMITER}\n\n{normalize_body(article.body)}\n"


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    left_out: int = 0  # drafts, articles in review, archived ones

    def summary(self) -> str:
        return _("%(count)d Artikel exportiert") % {"count": len(self.written)}


def export_directory(*, network: Network, directory: Path) -> ExportReport:
    """Write every published article of ``network`` to ``directory/<slug>.md``."""
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    for article in exportable_articles(network):
        path = directory / f"{article.slug}.md"
        _write_atomically(path, render_article_file(article))
        report.written.append(path)
    report.left_out = Article.objects.in_network(network).count() - len(report.written)
    return report
