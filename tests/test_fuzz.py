"""Whatever bytes arrive, a parser either returns facts or raises a typed ParseError."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.bulletin import parse_bulletin
from parsers.errors import ParseError
from parsers.limits import Limits
from tests.mutations import MUTATIONS, fixture_files, mutate

LIMITS = Limits(parse_timeout_s=20)
FILES = fixture_files()


def _parse_or_reject(data: bytes, name: str) -> str:
    try:
        parse_bulletin(data, name, LIMITS)
    except ParseError as exc:
        assert exc.reason and exc.message, "a rejection must carry a reason and a message"
        return exc.reason
    return "loaded"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_never_escape_as_an_untyped_exception(data):
    _parse_or_reject(data, "random.bin")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("|\t\n -—%合计注单位部门报送采用得分排名市局委办0123456789#")), max_size=600))
def test_random_table_like_text_never_escapes(text):
    _parse_or_reject(text.encode("utf-8"), "tablelike.txt")


@pytest.mark.parametrize("kind", MUTATIONS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), index=st.integers(min_value=0))
def test_mutated_fixtures_load_or_are_rejected_with_a_reason(kind, seed, index):
    path = FILES[index % len(FILES)]
    data = mutate(path.read_bytes(), kind, random.Random(seed))
    _parse_or_reject(data, path.name)


def test_a_table_over_the_cell_cap_is_rejected_naming_the_cap():
    rows = "".join(f"| 市单位{i} | {i} |\n" for i in range(200))
    text = "2020年第三季度排名表\n| 单位 | 报送 |\n|---|---|\n" + rows
    with pytest.raises(ParseError) as info:
        parse_bulletin(text.encode(), "big.txt", Limits(max_cells_per_table=100))
    assert info.value.reason == "too_large" and "max_cells_per_table" in info.value.message


def test_a_document_over_the_time_budget_is_rejected_naming_the_cap():
    rows = "".join(f"| 市单位{i} | {i} |\n" for i in range(30_000))
    text = "2020年第三季度排名表\n| 单位 | 报送 |\n|---|---|\n" + rows
    with pytest.raises(ParseError) as info:
        parse_bulletin(text.encode(), "slow.txt", Limits(parse_timeout_s=0.001))
    assert info.value.reason == "timeout" and "parse_timeout_s" in info.value.message


def test_text_over_the_length_cap_is_rejected_naming_the_cap():
    with pytest.raises(ParseError) as info:
        parse_bulletin(("字" * 2000).encode(), "long.txt", Limits(max_text_chars=1000))
    assert info.value.reason == "too_large" and "max_text_chars" in info.value.message


def test_a_file_over_the_size_cap_is_rejected_naming_the_cap():
    with pytest.raises(ParseError) as info:
        parse_bulletin(b"x" * 2000, "big.bin", Limits(max_file_bytes=1000))
    assert info.value.reason == "too_large" and "max_file_bytes" in info.value.message


def test_a_run_on_prose_blob_is_skipped_not_crawled():
    # Found by bench/fuzz_parsers.py: a 100,000-character "sentence" made the
    # unit-list patterns backtrack for minutes. Such blobs are now skipped.
    blob = "仍有" + "市" * 100_000 + "未按要求开展在线访谈"
    text = f"{blob}\n2020年第三季度排名表\n| 单位 | 报送 |\n|---|---|\n| 市公安局 | 3 |\n"
    parsed = parse_bulletin(text.encode(), "blob.txt", LIMITS)
    assert parsed.findings == [] and [m.unit_raw for m in parsed.metrics] == ["市公安局"]


def test_a_huge_header_cell_is_not_searched_for_known_phrases():
    # Found by bench/fuzz_parsers.py: a 100,000-character cell in a header row
    # was searched suffix by suffix for a metric name (minutes of work).
    path = FILES[0].parent.parent / "text" / "synthetic_docx_section_break.txt"
    data = mutate(path.read_bytes(), "huge_cell", random.Random(1296764383))
    assert _parse_or_reject(data, path.name) in ("loaded", "no_facts")


def test_a_zip_of_an_unsupported_version_is_rejected_not_raised():
    # Found by bench/fuzz_parsers.py: zipfile raises NotImplementedError for
    # a damaged version field.
    path = FILES[0].parent.parent / "bad" / "zip_not_word.docx"
    data = mutate(path.read_bytes(), "flip_bytes", random.Random(952047893))
    assert _parse_or_reject(data, path.name) == "corrupt"
