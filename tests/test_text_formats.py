"""The same bulletin gives the same unit_metrics rows in every text form."""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin
from parsers.errors import EmptyDocument, NoFacts, UndecodableText, UnknownFormat
from tests.support import FIXTURES, rows_of

SEED_000 = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
SEED_004 = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"

VARIANTS = [
    ("seed000_gb18030.txt", SEED_000),
    ("seed000_utf8_bom.txt", SEED_000),
    ("seed000_markdown.md", SEED_000),
    ("seed004_gb18030.txt", SEED_004),
    ("seed004_markdown.md", SEED_004),
    ("seed004_crlf.txt", SEED_004),
]


@pytest.mark.parametrize("variant,seed", VARIANTS, ids=[v for v, _ in VARIANTS])
def test_text_variant_loads_the_same_rows_as_its_seed(variant, seed):
    assert rows_of(FIXTURES / "text" / variant) == rows_of(seed)


def test_gb18030_bytes_really_are_not_utf8():
    data = (FIXTURES / "text" / "seed000_gb18030.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize(
    "name,error,reason",
    [
        ("empty.txt", EmptyDocument, "empty"),
        ("whitespace_only.txt", EmptyDocument, "empty"),
        ("binary_named.txt", UnknownFormat, "unknown_format"),
        ("no_table.txt", NoFacts, "no_facts"),
        ("latin1_not_chinese.txt", UndecodableText, "undecodable_text"),
    ],
)
def test_bad_text_input_is_rejected_with_a_reason(name, error, reason):
    path = FIXTURES / "bad" / name
    with pytest.raises(error) as info:
        parse_bulletin(path.read_bytes(), str(path))
    assert info.value.reason == reason
    assert name in info.value.message  # the message names the file a person must act on
