"""Views of the website by screen; the root URL map names ``not_found`` and ``forbidden`` here."""

from amtshilfe.website.views.errors import forbidden, not_found

__all__ = ["forbidden", "not_found"]
