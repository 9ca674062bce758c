"""The PDF reader, on pdfplumber, split by concern: `open` (the file and its
pages), `glyphs` (duplicate glyphs, text-layer checks), `lines` (characters
into text lines), `page` (pass 1: ruled tables and lines of one page),
`margins`, `paragraphs` and `unruled` (pass 2), `settings` (tolerances);
`reader.read_pdf` runs them in order."""

from .reader import read_pdf

__all__ = ["read_pdf"]
