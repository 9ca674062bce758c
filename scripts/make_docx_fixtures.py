"""Generate the DOCX fixtures (and their text twins) with python-docx.

Run from the repository root: `.venv/bin/python scripts/make_docx_fixtures.py`.
Writes fixtures/docx/ (the two seeds laid out as Word documents, synthetic
bulletins covering one Word feature each, and a .doc made by LibreOffice when
`soffice` is present), fixtures/text/synthetic_docx_<name>.txt (each
synthetic bulletin's tables as text, for the parity test) and
fixtures/bad/*docx* (files the DOCX path must refuse). The outputs are
committed, so CI needs neither LibreOffice nor msoffcrypto-tool.

It does not import `parsers`: the documents are transcriptions of the seeds
and of hand-written tables, never output of the code under test. Output is
deterministic (fixed core-properties dates) so re-running changes nothing
unless this script changes. The encrypted fixture needs msoffcrypto-tool
(`pip install --target /tmp/msoff msoffcrypto-tool olefile`, then
`PYTHONPATH=/tmp/msoff`); without it the committed file is kept.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
DOCX_DIR = ROOT / "fixtures" / "docx"
TEXT_DIR = ROOT / "fixtures" / "text"
BAD = ROOT / "fixtures" / "bad"
SEED_000 = SEEDS / "000_a18ab1c51e121e01.txt"
SEED_004 = SEEDS / "004_ecd57e6128c53c86.txt"
FIXED_DATE = dt.datetime(2021, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# -- a tiny document spec, rendered both as DOCX and as text --------------------


@dataclass
class Cell:
    """One Word cell: its paragraphs, and how far it spans."""

    paragraphs: list[str]
    span: int = 1  # gridSpan
    down: int = 1  # rows covered by a vertical merge (1 = none)


@dataclass
class TableSpec:
    rows: list[list[Cell | str | None]]  # None = covered by a merge from the left or above
    text_rows: list[list[str]]  # the same table as a text bulletin prints it
    frame: bool = False  # wrap in a one-cell layout table (nested table)


@dataclass
class Bulletin:
    name: str
    blocks: list = field(default_factory=list)  # ("p"|"h1"|"h2"|"title", text) | TableSpec | ("page",) | ("section",)
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    text_boxes: list[str] = field(default_factory=list)  # at the top of the body


def render_docx(bulletin: Bulletin) -> bytes:
    """Given a bulletin spec, return it as a DOCX built with python-docx."""
    document = docx.Document()
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.last_printed = FIXED_DATE
    document.styles["Normal"].font.size = Pt(12)
    section = document.sections[0]
    for line in bulletin.header:
        _set_or_add(section.header, line)
    for line in bulletin.footer:
        _set_or_add(section.footer, line)
    for number, text in enumerate(bulletin.text_boxes, start=1):
        add_text_box(document.add_paragraph(), text, number)
    for block in bulletin.blocks:
        if isinstance(block, TableSpec):
            add_table(document, block)
        elif block[0] == "page":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif block[0] == "section":
            new = document.add_section(WD_SECTION.NEW_PAGE)
            new.orientation = WD_ORIENT.LANDSCAPE
            new.page_width, new.page_height = new.page_height, new.page_width
        elif block[0] == "title":
            document.add_heading(block[1], level=0)
        elif block[0] in ("h1", "h2", "h3"):
            document.add_heading(block[1], level=int(block[0][1]))
        else:
            document.add_paragraph(block[1])
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())


def _set_or_add(part, text: str) -> None:
    first = part.paragraphs[0]
    if not first.text:
        first.text = text
    else:
        part.add_paragraph(text)


def add_table(document, spec: TableSpec) -> None:
    """Given a table spec, add it to the document as a ruled Word table
    (inside a one-cell frame table when spec.frame)."""
    width = sum(c.span if isinstance(c, Cell) else 1 for c in spec.rows[0] if c is not None) or 1
    width = max(width, max(len(r) for r in spec.rows))
    if spec.frame:
        frame = document.add_table(rows=1, cols=1)
        frame.style = "Table Grid"
        holder = frame.cell(0, 0)
        table = holder.add_table(rows=len(spec.rows), cols=width)
        # Word requires a cell to end in a paragraph; keep the (empty) one after the table.
        holder._tc.remove(holder.paragraphs[0]._p)
        holder._tc.append(parse_xml(f'<w:p xmlns:w="{W_NS}"/>'))
    else:
        table = document.add_table(rows=len(spec.rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(spec.rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, str):
                cell = Cell([cell])
            target = table.cell(r, c)
            if cell.span > 1 or cell.down > 1:
                target = target.merge(table.cell(r + cell.down - 1, c + cell.span - 1))
            fill_cell(target, cell.paragraphs)


def fill_cell(cell, paragraphs: list[str]) -> None:
    """Given a python-docx cell, write one Word paragraph per entry; `\\n`
    inside an entry becomes a line break (w:br)."""
    for p in list(cell.paragraphs)[1:]:
        p._p.getparent().remove(p._p)
    for index, text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.text = ""
        for line_index, line in enumerate(text.split("\n")):
            run = paragraph.add_run(line)
            if line_index < len(text.split("\n")) - 1:
                run.add_break()


def add_text_box(paragraph, text: str, number: int) -> None:
    """Given a body paragraph, anchor a floating text box holding `text` in it,
    the way Word writes one: DrawingML in mc:Choice, a VML copy in mc:Fallback."""
    xml = f"""
<w:r xmlns:w="{W_NS}"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing>
        <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{number}" behindDoc="0"
                   locked="0" layoutInCell="1" allowOverlap="1">
          <wp:simplePos x="0" y="0"/>
          <wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
          <wp:positionV relativeFrom="paragraph"><wp:posOffset>{number * 500000}</wp:posOffset></wp:positionV>
          <wp:extent cx="5000000" cy="450000"/>
          <wp:effectExtent l="0" t="0" r="0" b="0"/>
          <wp:wrapTopAndBottom/>
          <wp:docPr id="{100 + number}" name="Text Box {number}"/>
          <wp:cNvGraphicFramePr/>
          <a:graphic>
            <a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
              <wps:wsp>
                <wps:cNvSpPr txBox="1"/>
                <wps:spPr>
                  <a:xfrm><a:off x="0" y="0"/><a:ext cx="5000000" cy="450000"/></a:xfrm>
                  <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
                </wps:spPr>
                <wps:txbx>
                  <w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>
                </wps:txbx>
                <wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"/>
              </wps:wsp>
            </a:graphicData>
          </a:graphic>
        </wp:anchor>
      </w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict>
        <v:shape id="TextBox{number}" type="#_x0000_t202" style="position:absolute;width:394pt;height:35pt">
          <v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>
        </v:shape>
      </w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>"""
    paragraph._p.append(parse_xml(xml))


def normalise_zip(data: bytes) -> bytes:
    """Given a ZIP, return it rewritten with fixed member timestamps, so the
    generated fixtures are byte-for-byte reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_text(bulletin: Bulletin) -> str:
    """Given a bulletin spec, return its text twin: prose one paragraph a line,
    every text box/header/footer line as prose, tables as markdown pipe rows."""
    lines: list[str] = []
    lines.extend(bulletin.header)
    lines.extend(bulletin.text_boxes)
    for block in bulletin.blocks:
        if isinstance(block, TableSpec):
            lines.append("")
            lines.extend("| " + " | ".join(row) + " |" for row in block.text_rows)
            lines.append("")
        elif block[0] in ("page", "section"):
            continue
        elif block[0] == "title":
            lines.append("# " + block[1])
        elif block[0] in ("h1", "h2", "h3"):
            lines.append("#" * int(block[0][1]) + " " + block[1])
        else:
            lines.append(block[1])
    lines.extend(bulletin.footer)
    return "\n".join(lines) + "\n"


# -- the seeds ----------------------------------------------------------------------


def seed000() -> Bulletin:
    """Seed 000 (吉林市 ranking) as a Word bulletin: group rows merged across
    the table (gridSpan), each followed by its repeated header row."""
    text = SEED_000.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == "县(市)政府 |")
    end = next(i for i, l in enumerate(lines) if l.strip() == "附件2" and i > start)
    prose_before = [l for l in lines[:start] if l.strip()]
    rows = cell_per_line_rows(lines[start:end])
    b = Bulletin("seed000_a18ab1c51e121e01")
    b.blocks.append(("title", "关于2020年第三季度市政府网站信息采用情况排名的通报"))
    for line in prose_before:
        b.blocks.append(("p", line))
    table_rows: list[list[Cell | str | None]] = []
    for row in rows:
        if len(row) == 1:
            table_rows.append([Cell([row[0]], span=5), None, None, None, None])
        else:
            table_rows.append(list(row) + [""] * (5 - len(row)))
    b.blocks.append(TableSpec(table_rows, []))
    for line in [l for l in lines[end:] if l.strip()]:
        b.blocks.append(("p", line))
    return b


def cell_per_line_rows(lines: list[str]) -> list[list[str]]:
    """Given seed 000's copied web table (cell lines ending ` |`, bar lines
    between rows), return its rows."""
    rows, cells = [], []
    for line in lines:
        stripped = line.strip()
        if re.fullmatch(r"\|{2,}", stripped):
            if cells:
                rows.append(cells)
            cells = []
        elif stripped.endswith("|"):
            cells.append(stripped[:-1].strip())
    if cells:
        rows.append(cells)
    return rows


def seed004() -> Bulletin:
    """Seed 004 (景德镇市 Q4) as a Word bulletin: annex 1 one 4-column
    side-by-side table, annex 2 split by a page break into two Word tables,
    the second without a repeated header."""
    lines = SEED_004.read_text(encoding="utf-8").split("\n")
    b = Bulletin("seed004_ecd57e6128c53c86")
    i = 0
    annex = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if "\t" in line:
            parts: list[list[list[str]]] = [[]]
            while i < len(lines) and ("\t" in lines[i] or (not lines[i].strip() and i + 1 < len(lines) and "\t" in lines[i + 1])):
                if "\t" in lines[i]:
                    parts[-1].append([c.strip() for c in lines[i].split("\t")])
                else:
                    parts.append([])
                i += 1
            annex += 1
            if annex == 1:
                b.blocks.append(TableSpec([r for part in parts for r in part], []))
            else:
                for k, part in enumerate(parts):
                    if k:
                        b.blocks.append(("page",))
                    b.blocks.append(TableSpec(part, []))
            continue
        i += 1
        stripped = line.strip()
        if not stripped or stripped == "---":
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", stripped)
        if heading:
            b.blocks.append((f"h{len(heading.group(1))}", heading.group(2)))
        else:
            b.blocks.append(("p", re.sub(r"^-\s+", "", stripped)))
    return b


# -- synthetic bulletins ----------------------------------------------------------

CITY_ISSUER = "赣州市人民政府办公室"
UNITS = [
    ("县(市)区", ["章贡区", "南康区", "赣县区", "信丰县", "大余县"]),
    ("市直部门", ["市公安局", "市教育局", "市民政局", "市财政局", "市交通运输局", "市卫生健康委"]),
    ("其他单位", ["市残联", "市气象局", "市住房公积金管理中心"]),
]


def _intro(title: str) -> list:
    return [
        ("title", title),
        ("p", "各县(市、区)人民政府,市政府各部门,市直有关单位:"),
        ("p", "现将2021年第一季度全市政府网站信息报送采用情况通报如下。"),
        ("p", "附件1"),
        ("p", "2021年第一季度政府网站信息报送采用情况表"),
    ]


def _signature() -> list:
    return [("p", CITY_ISSUER), ("p", "2021年4月8日")]


def _figures(seed: int) -> list[tuple[str, str, list[int]]]:
    """Return (group, unit, [submitted, adopted, score]) rows, fixed by seed."""
    rng = random.Random(seed)
    out = []
    for group, units in UNITS:
        for unit in units:
            submitted = rng.randint(0, 200)
            adopted = rng.randint(0, submitted)
            out.append((group, unit, [submitted, adopted, adopted * 5]))
    return out


def synthetic_vmerge_group(seed: int = 1) -> Bulletin:
    """Group column 类别 merged down (vMerge) over each group's rows."""
    data = _figures(seed)
    header = ["类别", "单位", "报送", "采用", "得分"]
    rows: list[list[Cell | str | None]] = [list(header)]
    text_rows = [list(header)]
    previous = None
    for group, unit, values in data:
        size = sum(1 for g, _, _ in data if g == group)
        first = group != previous
        rows.append([Cell([group], down=size) if first else None, unit] + [str(v) for v in values])
        text_rows.append([group if first else "", unit] + [str(v) for v in values])
        previous = group
    b = Bulletin("synthetic_vmerge_group")
    b.blocks = _intro("关于2021年第一季度政府网站信息报送情况的通报") + [TableSpec(rows, text_rows)] + _signature()
    return b


def synthetic_two_row_header(seed: int = 2) -> Bulletin:
    """Header cells spanning two rows (排名, 单位, 本季度得分) beside `本季度`
    merged over `报送`/`采用`."""
    data = _figures(seed)
    rows: list[list[Cell | str | None]] = [
        [Cell(["排名"], down=2), Cell(["单位"], down=2), Cell(["本季度"], span=2), None, Cell(["本季度得分"], down=2)],
        [None, None, "报送", "采用", None],
    ]
    text_rows = [["排名", "单位", "本季度", "", "本季度得分"], ["", "", "报送", "采用", ""]]
    for rank, (_, unit, values) in enumerate(sorted(data, key=lambda d: -d[2][2]), start=1):
        rows.append([str(rank), unit] + [str(v) for v in values])
        text_rows.append([str(rank), unit] + [str(v) for v in values])
    b = Bulletin("synthetic_two_row_header")
    b.blocks = _intro("关于2021年第一季度政府网站信息采用排名的通报") + [TableSpec(rows, text_rows)] + _signature()
    return b


def synthetic_section_break(seed: int = 3) -> Bulletin:
    """A table split by a section break (landscape section), the second part
    repeating the header row."""
    data = _figures(seed)
    header = ["序号", "单位", "报送数", "采用数", "得分"]
    body = [[str(i), unit] + [str(v) for v in values] for i, (_, unit, values) in enumerate(data, start=1)]
    first, second = body[:8], body[8:]
    b = Bulletin("synthetic_section_break")
    b.blocks = (
        _intro("关于2021年第一季度政府网站信息报送情况的通报")
        + [TableSpec([header] + first, [header] + first), ("section",), TableSpec([header] + second, [header] + second)]
        + _signature()
    )
    return b


def synthetic_nested_table(seed: int = 4) -> Bulletin:
    """The ranking table nested in a one-cell layout frame table."""
    data = _figures(seed)
    header = ["排名", "单位名称", "信息更新量"]
    body = [[str(i), unit, str(values[0])] for i, (_, unit, values) in enumerate(data, start=1)]
    b = Bulletin("synthetic_nested_table")
    b.blocks = (
        _intro("关于2021年第一季度政府信息公开平台更新情况的通报")
        + [TableSpec([header] + body, [header] + body, frame=True)]
        + _signature()
    )
    return b


def synthetic_cell_text(seed: int = 5) -> Bulletin:
    """Multi-paragraph cells, line breaks in cells, full-width digits, and
    empty rows left at the end of the table."""
    data = _figures(seed)
    header = ["排名", "单位", "报送", "采用", "得分"]
    rows: list[list[Cell | str | None]] = [list(header)]
    text_rows = [list(header)]
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    for i, (_, unit, values) in enumerate(data, start=1):
        figures = [str(v) for v in values]
        if i % 3 == 1:  # the unit name wrapped onto a second paragraph
            cut = len(unit) // 2
            unit_cell: Cell | str = Cell([unit[:cut], unit[cut:]])
        elif i % 3 == 2:  # the unit name broken by a soft line break
            unit_cell = Cell([unit[:2] + "\n" + unit[2:]])
        else:
            unit_cell = unit
        printed = [f.translate(full_width) if i % 2 else f for f in figures]
        rows.append([str(i), unit_cell] + printed)
        text_rows.append([str(i), unit] + figures)
    rows.extend([["", "", "", "", ""] for _ in range(3)])
    b = Bulletin("synthetic_cell_text")
    b.blocks = _intro("关于2021年第一季度政府网站信息报送情况的通报") + [TableSpec(rows, text_rows)] + _signature()
    return b


MARGIN_TITLE = "关于2021年第一季度政府网站信息报送情况的通报"
MARGIN_DOC_NUMBER = "赣市府办字〔2021〕15号"
MARGIN_DATE = "2021年4月8日印发"


def synthetic_margin_metadata(seed: int = 6) -> Bulletin:
    """Title and document number in floating text boxes, issuer banner in
    the page header, the printing date in the page footer."""
    data = _figures(seed)
    header = ["排名", "单位", "报送", "采用", "得分"]
    body = [[str(i), unit] + [str(v) for v in values] for i, (_, unit, values) in enumerate(data, start=1)]
    b = Bulletin("synthetic_margin_metadata")
    b.header = ["赣州市人民政府办公室文件"]
    b.text_boxes = [MARGIN_DOC_NUMBER, MARGIN_TITLE]
    b.footer = [MARGIN_DATE]
    b.blocks = _intro(MARGIN_TITLE)[1:] + [TableSpec([header] + body, [header] + body)] + _signature()
    return b


SYNTHETIC = [
    synthetic_vmerge_group,
    synthetic_two_row_header,
    synthetic_section_break,
    synthetic_nested_table,
    synthetic_cell_text,
    synthetic_margin_metadata,
]


# -- bad files ----------------------------------------------------------------------


def bad_files(good_docx: bytes) -> dict[str, bytes]:
    """Given a valid DOCX, return the files the DOCX path must refuse, by name."""
    rng = random.Random(7)
    return {
        "not_a_zip.docx": b"PK\x03\x04" + bytes(rng.getrandbits(8) for _ in range(2000)),
        "zip_not_word.docx": _zip({"readme.txt": "这是一个压缩包,不是 Word 文档。\n", "data/table.csv": "单位,报送\n市公安局,3\n"}),
        "corrupt_document_xml.docx": _replace_member(good_docx, "word/document.xml", b"<w:document><w:body><w:p>"),
        "zip_bomb.docx": zip_bomb(good_docx),
        "xml_bomb.docx": _replace_member(good_docx, "word/document.xml", billion_laughs_document()),
    }


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(_member(name), content)
    return out.getvalue()


def _replace_member(package: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = content if info.filename == name else src.read(info.filename)
            dst.writestr(_member(info.filename), data)
    return out.getvalue()


def zip_bomb(package: bytes, size: int = 256 * 1024 * 1024) -> bytes:
    """Given a valid DOCX, return it with a `size`-byte member of zeros added,
    bzip2-compressed to a few kilobytes (declared and real size alike)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(_member(info.filename), src.read(info.filename))
        bomb = zipfile.ZipInfo("word/media/image1.bin", date_time=(2021, 1, 1, 0, 0, 0))
        bomb.compress_type = zipfile.ZIP_BZIP2
        with dst.open(bomb, "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def billion_laughs_document() -> bytes:
    """Return a word/document.xml whose DTD defines the classic entity bomb
    (10 levels of 10 references: 10^9 copies of `lol` if expanded)."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">' for k in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [\n  '
        + "\n  ".join(entities)
        + f'\n]>\n<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    ).encode("utf-8")


def encrypted_docx(good_docx: bytes) -> bytes | None:
    """Given a DOCX, return it password-protected (an OLE file with an
    EncryptedPackage stream) via msoffcrypto-tool, or None when not installed."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]
    except ImportError:
        return None
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(good_docx)).encrypt("tongbao", out)
    return out.getvalue()


def convert_with_libreoffice(source: Path, fmt: str, outdir: Path) -> Path | None:
    """Given a document, return the path of its LibreOffice conversion to
    `fmt` in outdir, or None when soffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=300,
        )
    return outdir / (source.stem + "." + fmt)


# -- main -----------------------------------------------------------------------------


def main() -> None:
    DOCX_DIR.mkdir(parents=True, exist_ok=True)
    TEXT_DIR.mkdir(parents=True, exist_ok=True)
    BAD.mkdir(parents=True, exist_ok=True)
    seeds = [seed000(), seed004()]
    for bulletin in seeds:
        (DOCX_DIR / f"{bulletin.name}.docx").write_bytes(render_docx(bulletin))
    for make in SYNTHETIC:
        bulletin = make()
        (DOCX_DIR / f"{bulletin.name}.docx").write_bytes(render_docx(bulletin))
        (TEXT_DIR / f"synthetic_docx_{bulletin.name.removeprefix('synthetic_')}.txt").write_text(
            render_text(bulletin), encoding="utf-8"
        )
    good = (DOCX_DIR / f"{seeds[0].name}.docx").read_bytes()
    for name, data in bad_files(good).items():
        (BAD / name).write_bytes(data)
    encrypted = encrypted_docx(good)
    if encrypted is not None:
        (BAD / "password_protected.docx").write_bytes(encrypted)
    else:
        print("msoffcrypto-tool not installed: kept the committed password_protected.docx", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        converted = convert_with_libreoffice(DOCX_DIR / f"{seeds[0].name}.docx", "doc", Path(tmp))
        if converted is not None:
            shutil.copyfile(converted, DOCX_DIR / f"{seeds[0].name}.doc")
        else:
            print("soffice not installed: kept the committed .doc fixture", file=sys.stderr)
    print(f"wrote {len(seeds) + len(SYNTHETIC)} DOCX bulletins to {DOCX_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
