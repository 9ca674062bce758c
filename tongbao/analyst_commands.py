"""Analyst-facing commands over the SQL models (check, export)."""

from __future__ import annotations
