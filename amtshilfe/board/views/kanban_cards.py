"""The markup of the cards on a board, built in Python instead of a template.

Why: a board may hold 2,000 open cards. Rendered through a Django template (an include with
a dozen tags per card) the page took several seconds; the template engine's per-node cost
dominates, not the one database query. ``format_html`` escapes every value just like the
template would and needs a few microseconds per card. The rest of the board (columns,
filters, live region) stays in templates; ``board/includes/kanban_board.html`` inserts
``ColumnView.cards_html``.

Each card: number and title (link to the request), municipality and cluster, urgency as a
badge with text, age ("seit 3 Tagen"), assignee (or "nicht zugewiesen"), and – for cards the
person works on – a small form with the move buttons (← ↑ ↓ →) that posts to
``board:move_card`` without JavaScript; ``kanban.js`` sends the same form with fetch.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.views.kanban_layout import CardView, ColumnView, Target

_PK = 987654321  # placeholder id: the URLs are reversed once per page, not once per card

# (direction, arrow, data-dir) in the order the buttons appear.
_DIRECTIONS = [("left", "←"), ("up", "↑"), ("down", "↓"), ("right", "→")]


@dataclass(frozen=True)
class CardPage:
    """What every card of one page shares: URLs, CSRF token, the way back, fixed texts.

    The texts are translated once per page (``gettext`` per card and button was a third of
    the rendering time of a full board).
    """

    request_url: str
    move_url: str
    csrf_token: str
    next: str
    texts: dict[str, str]

    @classmethod
    def for_page(cls, *, csrf_token: str, next_url: str) -> CardPage:
        texts = {
            "left": _("#%(number)s nach links in „%(column)s“"),
            "left_title": _("nach links: %(column)s"),
            "right": _("#%(number)s nach rechts in „%(column)s“"),
            "right_title": _("nach rechts: %(column)s"),
            "up": _("#%(number)s nach oben"),
            "up_title": _("nach oben"),
            "down": _("#%(number)s nach unten"),
            "down_title": _("nach unten"),
            "group": _("Karte #%(number)s verschieben"),
            "move": _("Verschieben"),
            "nobody": _("nicht zugewiesen"),
            "no_cluster": _("ohne Themencluster"),
            "urgency": _("Dringlichkeit:"),
            "today": _("seit heute"),
        }
        texts.update({value: str(label) for value, label in ServiceRequest.Urgency.choices})
        return cls(
            request_url=reverse("board:request", kwargs={"pk": _PK}),
            move_url=reverse("board:move_card", kwargs={"pk": _PK}),
            csrf_token=csrf_token,
            next=next_url,
            texts=texts,
        )

    def url(self, template: str, pk: int) -> str:
        return template.replace(str(_PK), str(pk))


def age_label(days: int, page: CardPage | None = None) -> str:
    if days == 0:
        return page.texts["today"] if page is not None else _("seit heute")
    return ngettext("seit %(days)s Tag", "seit %(days)s Tagen", days) % {"days": days}


def _button(card: CardView, direction: str, arrow: str, target: Target, page: CardPage) -> str:
    values = {"number": card.request.number, "column": target.column.name}
    return format_html(
        '<button type="submit" name="ziel" value="{}" data-dir="{}" title="{}">'
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></button>',
        target.value,
        direction,
        page.texts[direction + "_title"] % values,
        arrow,
        page.texts[direction] % values,
    )


def _move_form(card: CardView, page: CardPage) -> SafeString:
    request = card.request
    buttons = [
        _button(card, direction, arrow, target, page)
        for direction, arrow in _DIRECTIONS
        if (target := getattr(card, direction)) is not None
    ]
    return format_html(
        '<form method="post" action="{}" class="kanban-move">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="version" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<div class="kanban-move-buttons" role="group" aria-label="{}">'
        '<span class="kanban-move-label" aria-hidden="true">{}</span>{}</div></form>',
        page.url(page.move_url, request.pk),
        page.csrf_token,
        request.version,
        page.next,
        page.texts["group"] % {"number": request.number},
        page.texts["move"],
        mark_safe("".join(buttons)),  # noqa: S308 (each button is built by format_html)
    )


def card_html(card: CardView, page: CardPage) -> SafeString:
    request = card.request
    assignee = (
        format_html("{}", request.assignee.full_name)
        if request.assignee is not None
        else format_html('<span class="muted">{}</span>', page.texts["nobody"])
    )
    cluster = request.cluster.name if request.cluster is not None else page.texts["no_cluster"]
    return format_html(
        '<li class="kanban-card kanban-card-{urgency}" id="karte-{pk}" data-card="{pk}"'
        ' data-version="{version}" data-position="{position}" tabindex="-1"{draggable}>'
        '<h3 class="kanban-card-title"><a href="{url}">#{number} {title}</a></h3>'
        '<p class="kanban-card-meta">{municipality} · {cluster}</p>'
        '<p class="kanban-card-meta"><span class="badge kanban-urgency kanban-urgency-{urgency}">'
        '<span class="visually-hidden">{urgency_label} </span>{urgency_text}</span> '
        '<span class="kanban-age">{age}</span></p>'
        '<p class="kanban-card-assignee">{assignee}</p>{form}</li>',
        urgency=request.urgency,
        pk=request.pk,
        version=request.version,
        position=request.position,
        draggable=mark_safe(' draggable="true"') if card.can_move else "",
        url=page.url(page.request_url, request.pk),
        number=request.number,
        title=request.title,
        municipality=request.municipality.name,
        cluster=cluster,
        urgency_label=page.texts["urgency"],
        urgency_text=page.texts.get(request.urgency, request.urgency),
        age=age_label(card.age_days, page),
        assignee=assignee,
        form=_move_form(card, page) if card.can_move else "",
    )


def render_cards(columns: list[ColumnView], page: CardPage) -> None:
    """Fill ``cards_html`` of every column."""
    for column in columns:
        column.cards_html = format_html_join(
            "", "{}", ((card_html(c, page),) for c in column.cards)
        )
