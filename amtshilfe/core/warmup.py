"""Warm a freshly started server process in the background.

The first search loads the embedding model and the network's search index; the first filed
request trains the network's triage model. Both take seconds (longer on a busy machine), and
nobody should wait for them in a request. ``amtshilfe serve`` calls ``start_warm_up`` in every
gunicorn worker after it starts: a daemon thread runs the functions named in
``settings.AMTSHILFE_WARM_UP`` (dotted paths, in order). A request that arrives meanwhile
simply waits for (or shares) the work already under way, because those caches are locked.
A failing step is logged and skipped; warming never stops the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def warm_up() -> list[str]:
    """Run every configured step; returns the paths of the steps that failed."""
    failed = []
    for path in settings.AMTSHILFE_WARM_UP:
        try:
            step: Callable[[], object] = import_string(path)
            step()
        except Exception:  # warming is best effort; the request path does the work anyway
            logger.exception("warm-up step %s failed", path)
            failed.append(path)
        finally:
            close_old_connections()
    connections.close_all()
    return failed


def start_warm_up() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="amtshilfe-warm-up", daemon=True)
    thread.start()
    return thread
