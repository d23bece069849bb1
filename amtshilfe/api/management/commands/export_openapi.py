"""`amtshilfe export-openapi`: print the OpenAPI document of API v1 (committed as docs/openapi.json)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from amtshilfe.api.api import api


class Command(BaseCommand):
    help = "Prints the OpenAPI schema of /api/v1/ as stable, sorted JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        self.stdout.write(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False))
