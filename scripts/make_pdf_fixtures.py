"""Make the PDF fixtures: PDF versions of the seeds, synthetic bulletins with text twins, bad PDFs.

Run from the repository root:

    .venv/bin/python scripts/make_pdf_fixtures.py

Needs (generation only; the outputs are committed, so tests and CI need none):
* LibreOffice Writer and Noto CJK fonts for the ruled tables
  (`apt-get install -y --no-install-recommends libreoffice-writer fonts-noto-cjk`);
* the WenQuanYi Zen Hei TrueType font for reportlab's unruled tables
  (`apt-get install -y fonts-wqy-zenhei`);
* poppler-utils' `pdftoppm` for the scanned (image-only) sample.

Ruled tables go DOCX (python-docx, in a temp dir) -> PDF (LibreOffice), as
most published bulletins do; unruled ones are laid out with reportlab, the
way PDF printers and text converters set tables in aligned columns. Every
synthetic PDF gets a text twin in `fixtures/text/synthetic_pdf_<name>.txt`
(markdown pipe tables) carrying the same content, for the parity test.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.limits import Limits  # noqa: E402
from parsers.model import Paragraph, Table  # noqa: E402
from parsers.text_reader import read_text  # noqa: E402

PDF_DIR = ROOT / "fixtures" / "pdf"
TEXT_DIR = ROOT / "fixtures" / "text"
BAD_DIR = ROOT / "fixtures" / "bad"
CJK_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


# ---------------------------------------------------------------- content model


@dataclass
class TableSpec:
    header: list[str]
    rows: list[list[str]]  # a one-cell row is a group row spanning the table
    widths: list[float]  # relative column widths
    repeat_header: bool = False
    header_first: bool = True  # False: rows carry their own header rows (seed 000)
    fake_bold_header: bool = False
    rules: bool = False  # unruled layout: draw top/header/bottom rules (三线表)


@dataclass
class Bulletin:
    """A bulletin as a list of (kind, payload): title, para, plain, center, right, caption, table, pagebreak, space."""

    name: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    footer: str = "— {n} —"
    running_head: str | None = None
    body_size: float = 14.0


def units_block(rng: random.Random, names: list[str], *, rank: bool = True) -> list[list[str]]:
    """Given unit names, return ranking rows with plausible numbers (adopted <= submitted)."""
    rows = []
    scored = []
    for name in names:
        submitted = rng.randint(0, 200)
        adopted = rng.randint(0, submitted) if submitted else 0
        scored.append((adopted * 25 - rng.randint(0, 40) if adopted else 0, name, submitted, adopted))
    scored.sort(key=lambda r: -r[0])
    for i, (score, name, submitted, adopted) in enumerate(scored, start=1):
        rows.append(([str(i)] if rank else []) + [name, str(submitted), str(adopted), str(max(score, 0))])
    return rows


DEPARTMENTS = [
    "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局", "市公安局", "市民政局", "市司法局(依法治市办)",
    "市财政局", "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局", "市交通运输局",
    "市水利局", "市农业农村局(农办)", "市商务局", "市文化广电新闻出版旅游局", "市卫生健康委员会", "市退役军人事务局",
    "市应急管理局", "市审计局", "市市场监督管理局", "市统计局", "市医疗保障局", "市林业局", "市城市管理局",
    "市行政审批局", "市地方金融监督管理局", "市国有资产监督管理委员会", "市体育局", "市信访局", "市机关事务管理局",
    "市外事办", "市人防办", "市供销社", "市气象局", "市税务局", "市住房公积金管理中心", "市社会保险事业管理局",
    "市残疾人联合会", "市地方志办公室", "市公路事业发展中心", "市消防救援支队", "市烟草专卖局", "市水文局",
    "市政务服务管理办公室", "市大数据中心", "市档案馆", "市文联", "市科协",
]


def prose(city: str, quarter: str) -> list[tuple[str, object]]:
    return [
        ("para", f"为进一步加强政府网站和政务新媒体内容建设，根据省政府办公厅关于政府网站信息报送工作的要求，"
                 f"市政府办公室对{quarter}全市各地各部门政府网站信息报送和采用情况进行了统计，现将有关情况通报如下。"),
        ("para", "从统计情况看，大部分单位能够按照要求及时报送本地本部门政务信息，信息质量较上季度有所提高，"
                 "但仍有部分单位存在报送数量偏少、信息时效性不强、图片说明不规范等问题，个别单位连续两个季度零报送。"),
        ("para", "请各单位进一步提高认识，明确专人负责信息报送工作，严格落实信息审核发布制度，"
                 "切实提高信息报送的数量和质量，确保政府网站内容准确、及时、权威。"),
    ]


def signature(issuer: str, date: str) -> list[tuple[str, object]]:
    return [("space", 1), ("right", issuer), ("right", date), ("plain", "(此件主动公开)")]


def synthetic_bulletins() -> tuple[list[Bulletin], list[Bulletin]]:
    """Return (ruled bulletins for LibreOffice, unruled bulletins for reportlab)."""
    rng = random.Random(20210415)

    s1 = Bulletin("synthetic_ruled_repeat_header", running_head="九江市人民政府办公室 政务公开工作通报")
    s1.blocks = [
        ("title", "九江市人民政府办公室关于2021年第一季度政府网站信息报送情况的通报"),
        ("plain", "各县(市、区)人民政府，市政府各部门："),
        *prose("九江市", "2021年第一季度"),
        ("para", "附件：2021年第一季度政府网站信息报送情况统计表"),
        *signature("九江市人民政府办公室", "2021年4月12日"),
        ("pagebreak", None),
        ("caption", "附件"),
        ("center", "2021年第一季度政府网站信息报送情况统计表"),
        ("plain", "(统计时间:2021年1月1日—3月31日)"),
        ("table", TableSpec(["序号", "单位", "报送数", "采用数", "得分"],
                            [[r[0]] + r[1:] for r in units_block(rng, DEPARTMENTS[:48])],
                            [1, 4, 1.5, 1.5, 1.5], repeat_header=True)),
    ]

    counties = ["浔阳区", "濂溪区", "柴桑区", "武宁县", "修水县", "永修县", "德安县", "都昌县", "湖口县", "彭泽县", "瑞昌市", "共青城市", "庐山市"]
    s2 = Bulletin("synthetic_ruled_groups_no_repeat", footer="- {n} -")
    long_prose = (prose("赣州市", "2021年第二季度") * 2)[:4]  # the table then starts low on page 1
    s2.blocks = [
        ("title", "赣州市人民政府办公室关于2021年第二季度政府网站信息采用情况的通报"),
        ("plain", "各县(市、区)人民政府，市政府各部门，市直有关单位："),
        *long_prose,
        ("para", "现将2021年第二季度政府网站信息采用情况排名表印发给你们，请认真对照，抓好落实。"),
        ("caption", "附件1"),
        ("center", "2021年第二季度政府网站信息采用情况排名表"),
        ("table", TableSpec(["排名", "单位", "本季度报送", "本季度采用", "本季度得分"],
                            [["县(市、区)政府"], *units_block(rng, counties),
                             ["市直部门"], *units_block(rng, DEPARTMENTS[:40])],
                            [1, 2.2, 1.6, 1.6, 1.6])),
        *signature("赣州市人民政府办公室", "2021年7月9日"),
    ]

    s3 = Bulletin("synthetic_unruled_side_by_side", footer="- {n} -", running_head="上饶市政务公开工作简报")
    pairs = [(name, str(rng.randint(0, 300))) for name in DEPARTMENTS[:46]]
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:] + [("", "")] * (2 * half - len(pairs))
    s3.blocks = [
        ("title", "上饶市人民政府办公室关于2021年第一季度信息公开平台更新情况的通报"),
        ("plain", "各县(市、区)人民政府，市政府各部门："),
        *prose("上饶市", "2021年第一季度")[:2],
        ("caption", "附件1"),
        ("center", "2021年第一季度上饶市级信息公开平台信息更新情况表"),
        ("plain", "(统计时间:1月1日—3月31日)"),
        ("table", TableSpec(["部门", "信息更新量", "部门", "信息更新量"],
                            [[a, b, c, d] for (a, b), (c, d) in zip(left, right)],
                            [3, 1.5, 3, 1.5], rules=True)),
        *signature("上饶市人民政府办公室", "2021年4月20日"),
    ]

    s4 = Bulletin("synthetic_unruled_fakebold", footer="— {n} —", running_head="宜春市政府网站工作通报")
    s4.blocks = [
        ("title", "宜春市人民政府办公室关于2021年第三季度政府网站信息报送情况的通报"),
        ("plain", "各县(市、区)人民政府，市政府各部门："),
        *prose("宜春市", "2021年第三季度"),
        *prose("宜春市", "2021年第三季度")[:2],
        ("caption", "附件1"),
        ("center", "2021年第三季度政府网站信息报送情况排名表"),
        ("table", TableSpec(["排名", "单位", "报送", "采用", "得分"],
                            [["县(市、区)政府"], *units_block(rng, ["袁州区", "樟树市", "丰城市", "靖安县", "奉新县", "高安市", "上高县", "宜丰县", "铜鼓县", "万载县"]),
                             ["市直部门"], *units_block(rng, DEPARTMENTS[:44])],
                            [1, 2.0, 1.2, 1.2, 1.2], repeat_header=True, fake_bold_header=True)),
        ("caption", "附件2"),
        ("center", "2021年第三季度政府网站留言回复情况统计表"),
        ("table", TableSpec(["部门", "收到留言数", "回复留言数", "回复率"],
                            [[n, str(k), str(k), "100.00%"] for n, k in ((d, rng.randint(1, 90)) for d in DEPARTMENTS[:12])],
                            [3, 1.5, 1.5, 1.5], fake_bold_header=True)),
        *signature("宜春市人民政府办公室", "2021年10月15日"),
    ]
    return [s1, s2], [s3, s4]


def seed_bulletin(path: Path, name: str, footer: str) -> Bulletin:
    """Given a seed text file, return its content as a Bulletin (the same blocks the text reader sees)."""
    doc = read_text(path.read_bytes(), str(path), "", Limits())
    bulletin = Bulletin(name, footer=footer)
    for block in doc.blocks:
        if isinstance(block, Table):
            rows = [r.cells for r in block.rows]
            previous = bulletin.blocks[-1][1] if bulletin.blocks and bulletin.blocks[-1][0] == "table" else None
            if isinstance(previous, TableSpec):  # a table the text split at a page break
                previous.rows.extend(rows)
                continue
            width = max(len(r) for r in rows)
            widths = [1, 3, 1.4, 1.4, 1.4] if width == 5 else [2.6, 1.4] * (width // 2) if width == 4 and "信息更新量" in rows[0] else [3, 1.4, 1.4, 1.4]
            if width == 5:
                bulletin.blocks.append(("table", TableSpec([], rows, [1, 2.1, 1.6, 1.6, 1.6], header_first=False)))
            else:
                bulletin.blocks.append(("table", TableSpec(rows[0], rows[1:], widths, rules=True)))
            continue
        text = block.text.strip()
        if block.heading_level == 1:
            bulletin.blocks.append(("banner", text))
        elif block.heading_level == 2 and "通报" in text:
            bulletin.blocks.append(("title", text.replace(" ", "")))
        elif block.heading_level:
            bulletin.blocks.append(("center" if text.startswith("20") else "heading", text))
        elif text.startswith("附件") and len(text) <= 6:
            if text in ("附件 2", "附件1") and bulletin.blocks[-1][0] != "table":
                bulletin.blocks.append(("pagebreak", None))
            bulletin.blocks.append(("caption", text))
        elif text.startswith("(统计时间") or text.startswith("2020年第三季度市政府网站信息采用情况排名表") and bulletin.blocks[-1][0] == "caption":
            bulletin.blocks.append(("center", text))
        elif text in ("---",):
            continue
        elif (text.startswith("20") and len(text) <= 16) or text.endswith("管理局") and len(text) <= 20:
            bulletin.blocks.append(("right", text))
        elif text.startswith("附件1") and name.startswith("000") and len(bulletin.blocks) > 8:
            bulletin.blocks.append(("pagebreak", None))
            bulletin.blocks.append(("caption", text))
        elif text.startswith("附件2") and name.startswith("000") and bulletin.blocks[-1][0] == "table":
            bulletin.blocks.append(("caption", text))
        elif len(text) <= 24 or text.endswith("：") or text.endswith(":"):
            bulletin.blocks.append(("plain", text))
        else:
            bulletin.blocks.append(("para", text))
    return bulletin


# ---------------------------------------------------------------- text twins


def bulletin_to_text(bulletin: Bulletin) -> str:
    """Given a bulletin, return its text twin: one paragraph per line, markdown pipe tables."""
    out: list[str] = []
    for kind, payload in bulletin.blocks:
        if kind in ("pagebreak", "space"):
            continue
        if kind == "table":
            spec = payload
            assert isinstance(spec, TableSpec)
            width = len(spec.widths)
            rows = ([spec.header] if spec.header_first else []) + spec.rows
            out.append("")
            for i, row in enumerate(rows):
                cells = row + [""] * (width - len(row))
                out.append("| " + " | ".join(cells) + " |")
                if i == 0:
                    out.append("|" + "---|" * width)
            out.append("")
        else:
            out.append(str(payload))
    return "\n".join(out).strip() + "\n"


# ---------------------------------------------------------------- DOCX -> PDF (ruled)


def bulletin_to_docx(bulletin: Bulletin, path: Path) -> None:
    """Given a bulletin, write it as a DOCX laid out like an official document (公文)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance, section.header_distance = Mm(20), Mm(18)

    def font(run, size: float, face: str = SERIF, bold: bool = False) -> None:
        run.font.size = Pt(size)
        run.font.name = face
        run.font.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)

    def para(text: str, size: float = 14, face: str = SERIF, align=None, indent: bool = False, bold: bool = False):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        p.paragraph_format.line_spacing = Pt(size * 1.6)
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        font(p.add_run(text), size, face, bold)
        return p

    for kind, payload in bulletin.blocks:
        if kind == "title":
            para(str(payload), 20, SANS, WD_ALIGN_PARAGRAPH.CENTER)
            para("", 14)
        elif kind == "banner":
            p = para(str(payload), 26, SANS, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
            p.runs[0].font.color.rgb = __import__("docx.shared", fromlist=["RGBColor"]).RGBColor(0xC0, 0, 0)
        elif kind == "heading":
            para(str(payload), 14, SANS, indent=True)
        elif kind == "para":
            para(str(payload), 14, indent=True)
        elif kind == "plain":
            para(str(payload), 14)
        elif kind == "caption":
            para(str(payload), 14, SANS)
        elif kind == "center":
            para(str(payload), 16 if not str(payload).startswith("(") else 12, SANS if not str(payload).startswith("(") else SERIF, WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "right":
            p = para(str(payload), 14, align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(28)
        elif kind == "space":
            for _ in range(int(payload)):
                para("", 14)
        elif kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            spec = payload
            assert isinstance(spec, TableSpec)
            width = len(spec.widths)
            rows = ([spec.header] if spec.header_first else []) + spec.rows
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            usable = 156.0
            col_mm = [usable * w / sum(spec.widths) for w in spec.widths]
            for r, cells in enumerate(rows):
                row = table.rows[r]
                tr_pr = row._tr.get_or_add_trPr()
                cant = OxmlElement("w:cantSplit")
                tr_pr.append(cant)
                if r == 0 and spec.header_first and spec.repeat_header:
                    tr_pr.append(OxmlElement("w:tblHeader"))
                for c in range(width):
                    row.cells[c].width = Mm(col_mm[c])
                if len(cells) == 1 and width > 1:
                    merged = row.cells[0].merge(row.cells[width - 1])
                    cells = cells + [""] * (width - 1)
                    targets = [merged]
                else:
                    targets = [row.cells[c] for c in range(width)]
                is_header = (r == 0 and spec.header_first) or cells[:2] == ["排名", "单位"]
                for c, cell in enumerate(targets):
                    p = cell.paragraphs[0]
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    p.paragraph_format.space_after = Pt(0)
                    font(p.add_run(cells[c] if c < len(cells) else ""), 11, SANS if is_header or len(cells) == width and not any(cells[1:]) else SERIF)
            para("", 14)

    for story, text in ((section.header, bulletin.running_head), (section.footer, bulletin.footer)):
        p = story.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text is None:
            continue
        if "{n}" in text:
            before, after = text.split("{n}")
            font(p.add_run(before), 12)
            fld = OxmlElement("w:fldSimple")
            fld.set(qn("w:instr"), "PAGE")
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = "1"
            run.append(t)
            fld.append(run)
            p._p.append(fld)
            font(p.add_run(after), 12)
        else:
            font(p.add_run(text), 10.5)
    doc.save(path)


def docx_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Given a DOCX, convert it with headless LibreOffice and return the PDF's path."""
    profile = out_dir / "lo_profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
        check=True, capture_output=True, timeout=180,
    )
    return out_dir / (docx_path.stem + ".pdf")


# ---------------------------------------------------------------- reportlab (unruled)


class Layout:
    """A minimal page layout engine over a reportlab canvas: A4, 公文 margins."""

    def __init__(self, path: Path, bulletin: Bulletin, *, font: str = "WQY", encrypt=None):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen.canvas import Canvas

        self.canvas = Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
        self.canvas.setTitle(bulletin.name)
        self.width, self.height = A4
        self.left, self.right = 79.0, self.width - 74.0
        self.top, self.bottom = self.height - 105.0, 99.0
        self.font = font
        self.bulletin = bulletin
        self.page = 1
        self.y = self.top
        self.repeat: TableSpec | None = None

    def text_width(self, text: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(text, self.font, size)

    def draw(self, x: float, y: float, text: str, size: float, bold: bool = False) -> None:
        self.canvas.setFont(self.font, size)
        self.canvas.drawString(x, y, text)
        if bold:  # fake bold: overprint each glyph at a tiny offset, as many office printers do
            self.canvas.drawString(x + 0.35, y + 0.2, text)

    def decorate(self) -> None:
        if self.bulletin.running_head:
            size = 10.5
            self.draw((self.width - self.text_width(self.bulletin.running_head, size)) / 2, self.height - 60, self.bulletin.running_head, size)
            self.canvas.setLineWidth(0.5)
            self.canvas.line(self.left, self.height - 66, self.right, self.height - 66)
        footer = self.bulletin.footer.format(n=self.page)
        self.draw((self.width - self.text_width(footer, 12)) / 2, 60, footer, 12)

    def new_page(self) -> None:
        self.decorate()
        self.canvas.showPage()
        self.page += 1
        self.y = self.top

    def need(self, height: float) -> bool:
        """Start a new page if `height` does not fit; return True if it did."""
        if self.y - height < self.bottom:
            self.new_page()
            return True
        return False

    def paragraph(self, text: str, size: float, *, indent: float = 0.0, align: str = "left", leading: float = 1.6, bold: bool = False) -> None:
        lines = self.wrap(text, size, self.right - self.left, indent)
        for i, line in enumerate(lines):
            self.need(size * leading)
            self.y -= size * leading
            w = self.text_width(line, size)
            if align == "center":
                x = (self.width - w) / 2
            elif align == "right":
                x = self.right - 2 * size - w
            else:
                x = self.left + (indent if i == 0 else 0)
            self.draw(x, self.y + size * (leading - 1) / 2, line, size, bold)

    def wrap(self, text: str, size: float, width: float, indent: float = 0.0) -> list[str]:
        lines, current, limit = [], "", width - indent
        for ch in text:
            if current and self.text_width(current + ch, size) > limit:
                lines.append(current)
                current, limit = "", width
            current += ch
        return lines + [current] if current or not lines else lines

    def table(self, spec: TableSpec, size: float = 11.0) -> None:
        total = self.right - self.left
        widths = [total * w / sum(spec.widths) for w in spec.widths]
        xs = [self.left + sum(widths[:i]) for i in range(len(widths))]
        pitch, leading = size * 1.9, size * 1.2

        def header() -> None:
            if spec.rules:
                self.canvas.setLineWidth(1.0)
                self.canvas.line(self.left, self.y - 2, self.right, self.y - 2)
            self.y -= pitch
            for x, w, text in zip(xs, widths, spec.header):
                self.draw(x + (w - self.text_width(text, size)) / 2, self.y + size * 0.5, text, size, spec.fake_bold_header)
            if spec.rules:
                self.canvas.setLineWidth(0.5)
                self.canvas.line(self.left, self.y + 2, self.right, self.y + 2)

        first = True
        if spec.header_first:
            self.need(pitch * 3)
            header()
        for row in spec.rows:
            cells = [self.wrap(text, size, w - 6) for text, w in zip(row, widths)]
            height = pitch + leading * (max(len(c) for c in cells) - 1)
            if self.need(height):
                if spec.rules:
                    pass
                if spec.repeat_header and spec.header_first:
                    header()
            first = False
            self.y -= height
            if len(row) == 1:
                self.draw(xs[0] + 3, self.y + height - pitch + size * 0.5, row[0], size, spec.fake_bold_header)
                continue
            for col, (x, w, lines) in enumerate(zip(xs, widths, cells)):
                for k, line in enumerate(lines):
                    y = self.y + height - pitch + size * 0.5 - k * leading
                    if col == 0 and line.isdigit() and len(widths) == 5:
                        self.draw(x + (w - self.text_width(line, size)) / 2, y, line, size)  # rank centred
                    elif col == 1 or (col == 0 and not line.isdigit()) or col == 2 and len(widths) == 4 and not line.isdigit():
                        self.draw(x + 3, y, line, size)  # names left-aligned
                    else:
                        self.draw(x + w - 6 - self.text_width(line, size), y, line, size)  # numbers right-aligned
        if spec.rules:
            self.canvas.setLineWidth(1.0)
            self.canvas.line(self.left, self.y - 2, self.right, self.y - 2)
        del first

    def finish(self) -> None:
        self.decorate()
        self.canvas.save()


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_TTF), subfontIndex=0))


def bulletin_to_reportlab(bulletin: Bulletin, path: Path, *, encrypt=None) -> None:
    """Given a bulletin, lay it out with reportlab: unruled tables in aligned columns."""
    register_font()
    page = Layout(path, bulletin, encrypt=encrypt)
    for kind, payload in bulletin.blocks:
        text = str(payload)
        body = bulletin.body_size
        if kind == "title":
            page.y -= 10
            page.paragraph(text, 20, align="center", leading=1.5)
            page.y -= 14
        elif kind == "banner":
            page.paragraph(text, 26, align="center", leading=1.5, bold=True)
        elif kind == "heading":
            page.paragraph(text, body, indent=2 * body, bold=True)
        elif kind == "para":
            page.paragraph(text, body, indent=2 * body)
        elif kind == "plain":
            page.paragraph(text, body if not text.startswith("(") else 12, align="center" if text.startswith("(") else "left")
        elif kind == "caption":
            page.paragraph(text, body, bold=True)
        elif kind == "center":
            page.paragraph(text, 16 if not text.startswith("(") else 12, align="center")
        elif kind == "right":
            page.paragraph(text, body, align="right")
        elif kind == "space":
            page.y -= body * 1.6 * int(payload)
        elif kind == "pagebreak":
            page.new_page()
        elif kind == "table":
            assert isinstance(payload, TableSpec)
            page.y -= 6
            page.table(payload)
            page.y -= 10
    page.finish()


# ---------------------------------------------------------------- bad PDFs


def make_bad(work: Path) -> None:
    """Write the bad-PDF fixtures: encrypted, scanned (image only), no ToUnicode, truncated."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    small = Bulletin("bad_sample", footer="- {n} -")
    small.blocks = [
        ("title", "某市人民政府办公室关于2021年第一季度政府网站信息报送情况的通报"),
        ("para", "现将2021年第一季度各单位政府网站信息报送情况通报如下。"),
        ("table", TableSpec(["排名", "单位", "报送", "采用", "得分"], units_block(random.Random(7), DEPARTMENTS[:8]), [1, 3, 1.2, 1.2, 1.2])),
    ]
    bulletin_to_reportlab(small, BAD_DIR / "encrypted.pdf", encrypt=StandardEncryption("secret-user", "secret-owner", strength=128))

    plain = work / "plain.pdf"
    bulletin_to_reportlab(small, plain)

    # A scan: the page as a grey picture, no text layer.
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-gray", "-f", "1", "-l", "1", str(plain), str(work / "scan")], check=True)
    scan = sorted(work.glob("scan*.png"))[0]
    from reportlab.lib.pagesizes import A4

    canvas = Canvas(str(BAD_DIR / "scanned_no_text.pdf"), pagesize=A4, invariant=1)
    canvas.drawImage(str(scan), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()

    # Fonts without a ToUnicode map: the same bytes with the /ToUnicode key renamed
    # (same length, so the cross-reference offsets stay valid).
    raw = plain.read_bytes()
    assert b"/ToUnicode" in raw
    (BAD_DIR / "no_tounicode.pdf").write_bytes(raw.replace(b"/ToUnicode", b"/ToUnicodX"))

    # Cut short, as an interrupted download leaves it.
    (BAD_DIR / "truncated.pdf").write_bytes(raw[: len(raw) // 2])

    # Starts like a PDF, then garbage.
    (BAD_DIR / "corrupt_garbage.pdf").write_bytes(b"%PDF-1.4\n" + bytes(random.Random(3).randrange(256) for _ in range(4000)) + b"\n%%EOF\n")


# ---------------------------------------------------------------- main


def main() -> None:
    for folder in (PDF_DIR, TEXT_DIR, BAD_DIR):
        folder.mkdir(parents=True, exist_ok=True)
    ruled, unruled = synthetic_bulletins()
    seeds = ROOT / "fixtures" / "seeds"
    seed_ruled = seed_bulletin(seeds / "000_a18ab1c51e121e01.txt", "000_a18ab1c51e121e01", "— {n} —")
    seed_unruled = seed_bulletin(seeds / "004_ecd57e6128c53c86.txt", "004_ecd57e6128c53c86", "- {n} -")
    seed_unruled.body_size = 12.0  # the annex-1 table then breaks across pages 2 and 3, as in the original
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for bulletin in [seed_ruled, *ruled]:
            docx_path = work / f"{bulletin.name}.docx"
            bulletin_to_docx(bulletin, docx_path)
            shutil.copy(docx_to_pdf(docx_path, work), PDF_DIR / f"{bulletin.name}.pdf")
        for bulletin in [seed_unruled, *unruled]:
            bulletin_to_reportlab(bulletin, PDF_DIR / f"{bulletin.name}.pdf")
        for bulletin in ruled + unruled:
            (TEXT_DIR / f"synthetic_pdf_{bulletin.name.removeprefix('synthetic_')}.txt").write_text(bulletin_to_text(bulletin), encoding="utf-8")
        make_bad(work)
    for path in sorted(PDF_DIR.glob("*.pdf")) + sorted(BAD_DIR.glob("*.pdf")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
