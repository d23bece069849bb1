"""`{% time_panel obj %}`: the time panel on a request page (no change to the board's views).

The board's template includes it for the IT side only; the tag checks again that the
viewer works on the request and renders nothing otherwise. It shows the viewer's own time
only (see ``panels.request_panel_context``).
"""

from __future__ import annotations

from typing import Any

from django import template

from amtshilfe.board.access import can_work
from amtshilfe.board.models import ServiceRequest
from amtshilfe.timeaccounting.panels import request_panel_context

register = template.Library()


@register.inclusion_tag("timeaccounting/request_panel.html", takes_context=True)
def time_panel(context: template.Context, obj: ServiceRequest) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_work(user, obj):
        return {"hidden": True}
    panel = request_panel_context(user, obj.network, obj)
    panel["request"] = request
    panel["csrf_token"] = context.get("csrf_token")
    return panel
