"""Caps every reader honours, in one validated settings object."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_text_chars: int = 5_000_000
    max_pdf_pages: int = 300
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024
    max_cells_per_table: int = 200_000
    parse_timeout_s: float = 120.0
    conversion_timeout_s: float = 120.0
    # Scans (parsers/ocr/): pages recognised per document, seconds of OCR per
    # document (not counted in parse_timeout_s), and the confidence below which
    # a recognised figure loads as NULL.
    max_ocr_pages: int = 30
    ocr_timeout_s: float = 600.0
    min_ocr_confidence: float = 0.7
    # Hard caps of the child process a document is parsed in (ingest/guard.py),
    # and the budget of one inflated PDF stream.
    max_parse_memory_bytes: int = 2 * 1024 * 1024 * 1024
    max_inflated_bytes: int = 256 * 1024 * 1024

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"limit {f.name} must be a positive number, got {value!r}")
        if self.min_ocr_confidence > 1:
            raise ValueError(f"limit min_ocr_confidence is a confidence between 0 and 1, got {self.min_ocr_confidence!r}")


def check_size(size: int, source: str, limits: Limits) -> None:
    """Given a file's size in bytes, raise TooLarge when it is over the limit:
    the one size check, made on the bytes (parsers) or before reading them (ingest)."""
    if size > limits.max_file_bytes:
        from .errors import TooLarge

        raise TooLarge(f"{source} is {size:,} bytes, over the max_file_bytes limit of {limits.max_file_bytes:,}.")
