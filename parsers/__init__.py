"""Bulletin parsers: format readers → one document model → facts.

Bump PARSER_VERSION whenever a change alters the rows a bulletin yields:
loaded bulletins with an older version are re-parsed on the next ingest.
"""

PARSER_VERSION = "0.4.0"
