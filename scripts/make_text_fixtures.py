"""Generate the text-format fixtures from the two seeds.

Run from the repository root: `python scripts/make_text_fixtures.py`.
Writes into fixtures/text/ (variants of the real seeds) and fixtures/bad/
(inputs that must be rejected). The outputs are committed; this script is
how they were made. It deliberately does not import tongbao: the variants
are transcriptions of the seed text, not output of the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
TEXT = ROOT / "fixtures" / "text"
BAD = ROOT / "fixtures" / "bad"
SEED_000 = SEEDS / "000_a18ab1c51e121e01.txt"
SEED_004 = SEEDS / "004_ecd57e6128c53c86.txt"


def cell_lines_to_markdown(text: str) -> str:
    """Rewrite seed 000's cell-per-line table as markdown pipe rows."""
    out: list[str] = []
    cells: list[str] = []
    width = 5

    def flush() -> None:
        if cells:
            padded = cells + [""] * (width - len(cells))
            out.append("| " + " | ".join(padded) + " |")
            if cells[0] == "排名" and not any(line.startswith("|---") for line in out):
                out.append("|" + "---|" * width)
        cells.clear()

    for line in text.split("\n"):
        if re.fullmatch(r"\|{2,}", line.strip()):
            flush()
        elif line.endswith("|"):
            cells.append(line[:-1].strip())
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


def tabs_to_markdown(text: str) -> str:
    """Rewrite seed 004's tab-separated rows as markdown pipe rows."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            out.append("| " + " | ".join(cells) + " |")
            if cells[0] == "部门":
                out.append("|" + "---|" * len(cells))
        else:
            out.append(line)
    return "\n".join(out)


def main() -> None:
    TEXT.mkdir(parents=True, exist_ok=True)
    BAD.mkdir(parents=True, exist_ok=True)
    s000 = SEED_000.read_text(encoding="utf-8")
    s004 = SEED_004.read_text(encoding="utf-8")

    (TEXT / "seed000_gb18030.txt").write_bytes(s000.encode("gb18030"))
    (TEXT / "seed004_gb18030.txt").write_bytes(s004.encode("gb18030"))
    (TEXT / "seed000_utf8_bom.txt").write_bytes(b"\xef\xbb\xbf" + s000.encode("utf-8"))
    (TEXT / "seed000_markdown.md").write_text(cell_lines_to_markdown(s000), encoding="utf-8")
    (TEXT / "seed004_markdown.md").write_text(tabs_to_markdown(s004), encoding="utf-8")
    # Windows line endings, as many government sites serve them.
    (TEXT / "seed004_crlf.txt").write_bytes(s004.replace("\n", "\r\n").encode("utf-8"))

    (BAD / "empty.txt").write_bytes(b"")
    (BAD / "whitespace_only.txt").write_bytes(b" \n\n\t\n")
    # A binary file named .txt: a tiny PNG header followed by zero bytes.
    (BAD / "binary_named.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (BAD / "no_table.txt").write_text(
        "关于2020年第三季度政府网站工作的通知\n各单位:\n请按要求做好政府网站信息报送工作。\n某市政府办公室\n2020年10月1日\n",
        encoding="utf-8",
    )
    # Latin-1 bytes that are neither UTF-8 nor GB18030 text.
    (BAD / "latin1_not_chinese.txt").write_bytes(("Caf\xe9 d\xe9j\xe0 vu \xff\xfe\xfd " * 40).encode("latin-1"))


if __name__ == "__main__":
    main()
