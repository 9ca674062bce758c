"""Reading inputs into the warehouse, as plain functions (the `ingest` layer).

Imports `parsers`, `units` and `warehouse`, never Prefect, `flows` or the CLI:
`rawstore` (the content-addressed copy of every document read), `sources`
(sources files and downloads), `planning` (which files, and which of them
need parsing), `parsing` (a stored document → rows or a rejection, serially
or on a process pool), `outcomes` (what became of each input, and applying
it to the warehouse), `loader` (the single writer, in waves), `backfill`
(what a back-fill re-parses), `settings` and `progress`.
"""
