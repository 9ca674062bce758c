"""Commands to review and correct unit-name normalisation."""

from __future__ import annotations
