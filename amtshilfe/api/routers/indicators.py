"""Indicators and process analysis (coordination, steering group, auditor) – to be filled."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["indicators"])
