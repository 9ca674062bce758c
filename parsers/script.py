"""Script repairs for text copied off mirror sites: pinyin glosses, traditional characters.

Mirror sites convert pages to traditional script and some insert a pinyin
gloss after characters (`區(qū)`, `發(fā)`, `號(hào)`). The gloss is not part of the
bulletin: it is removed from the printed text itself. Traditional characters
are printed text: they are kept, and a simplified copy of the same length is
made for interpretation, so a position in one is the same position in the other.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

# A gloss is one pinyin syllable with a tone mark, in parentheses, right after the glossed character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_GLOSS = re.compile(rf"[(（](?=[a-zü{_TONED}]{{1,6}}[)）])[a-zü]*[{_TONED}][a-zü{_TONED}]*[)）]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# A document is read as traditional when the conversion changes at least this
# share of its Han characters (simplified text changes by well under 1%).
TRADITIONAL_SHARE = 0.03
TRADITIONAL_MIN_CHARS = 3


def strip_glosses(text: str) -> str:
    """Given text from a mirror page, return it without inline pinyin glosses (`區(qū)` -> `區`)."""
    if "(" not in text and "（" not in text:
        return text
    return _GLOSS.sub("", text)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Given printed text, return it in simplified characters, with the same length
    (phrase conversion when it keeps the length, else character by character)."""
    if not text or not _HAN.search(text):
        return text
    convert = _converter().convert
    whole = convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(convert(ch) if _HAN.match(ch) else ch for ch in text)


def traditional_share(texts: list[str]) -> tuple[int, int]:
    """Given texts, return (Han characters, how many the conversion changes)."""
    han = changed = 0
    for text in texts:
        simplified = to_simplified(text)
        for a, b in zip(text, simplified):
            if _HAN.match(a):
                han += 1
                changed += a != b
    return han, changed


def is_traditional(texts: list[str]) -> bool:
    """Given a document's texts, say whether it is printed in traditional script."""
    han, changed = traditional_share(texts)
    return changed >= TRADITIONAL_MIN_CHARS and changed >= han * TRADITIONAL_SHARE


@dataclass
class PrintedForms:
    """The printed form of text interpreted in simplified characters.

    Filled by the normalisation step with every (simplified, printed) pair it
    made; empty for a document printed in simplified script, where the
    printed form of any text is the text itself.
    """

    pairs: dict[str, str] = field(default_factory=dict)  # converted text -> printed, where they differ
    texts: list[tuple[str, str]] = field(default_factory=list, repr=False)  # every (converted, printed), in order
    _joined: dict = field(default_factory=dict, repr=False, compare=False)

    def add(self, simplified: str, printed: str) -> None:
        self.texts.append((simplified, printed))
        if simplified != printed:
            self.pairs.setdefault(simplified, printed)
        self._joined.clear()

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def printed(self, text: str | None, norm: Callable[[str], str] | None = None) -> str | None:
        """Given text read from the simplified copy (whole or a part, optionally
        normalised by `norm`, e.g. clean_name), return what was printed there."""
        if not text or not self.pairs:
            return text
        if text in self.pairs:
            return self.pairs[text]
        joined, starts, lines = self._joined_texts(norm)
        at = joined.find(text)
        if at >= 0:
            line = bisect_right(starts, at) - 1
            simplified, printed = lines[line]
            offset = at - starts[line]
            if len(simplified) == len(printed) and offset + len(text) <= len(simplified):
                return printed[offset : offset + len(text)]
        # A sentence read across paragraphs: search the texts run together.
        run_simplified, run_printed = self._run_together(norm)
        at = run_simplified.find(text)
        if at >= 0 and len(run_simplified) == len(run_printed):
            return run_printed[at : at + len(text)]
        return text

    def _run_together(self, norm: Callable[[str], str] | None) -> tuple[str, str]:
        key = ("run", norm)
        if key not in self._joined:
            _, _, lines = self._joined_texts(norm)
            self._joined[key] = ("".join(s for s, _ in lines), "".join(p for _, p in lines))
        return self._joined[key]

    def _joined_texts(self, norm: Callable[[str], str] | None):
        if norm not in self._joined:
            lines = [(norm(k), norm(v)) if norm else (k, v) for k, v in self.texts]
            starts, at = [], 0
            for simplified, _ in lines:
                starts.append(at)
                at += len(simplified) + 1
            self._joined[norm] = ("\n".join(s for s, _ in lines), starts, lines)
        return self._joined[norm]
