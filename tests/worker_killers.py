"""A parse function for pool workers that dies, as a worker killed for memory
or crashed in a C library would, on a document whose name says KILLS_ITS_WORKER.
It must live in an importable module: spawned workers import it by name."""

from __future__ import annotations

import os

from ingest.parsing import parse_document


def parse_or_die(doc, limits):
    if "KILLS_ITS_WORKER" in doc.label:
        os._exit(13)
    return parse_document(doc, limits)


def parse_or_hog(doc, limits):
    """Allocate without end on a document whose name says HOGS_MEMORY."""
    if "HOGS_MEMORY" in doc.label:
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    return parse_document(doc, limits)
