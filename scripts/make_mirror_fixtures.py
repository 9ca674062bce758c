"""Generate the fixtures for text copied off government pages and their mirrors.

Run from the repository root: `python scripts/make_mirror_fixtures.py`.
Writes fixtures/mirror/synthetic_*.txt (and one .docx twin). The content is
invented; only the SHAPES are modelled on real bulletins: traditional script
with pinyin glosses (`區(qū)`) and mojibake list markers, spam lines, page
headers (`发布时间:`), info-disclosure blocks (`索引号 … 文号 …`), breadcrumbs and
share buttons, titles split over lines, periods of every grain and issuers at
every level. Place names are real divisions (public data); units and figures
are made up. It deliberately does not import tongbao.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "mirror"

TABLE = "单位\t报送数\t采用数\n{prefix}公安局\t12\t8\n{prefix}财政局\t9\t5\n{prefix}教育局\t7\t3\n"


def table(prefix: str = "县") -> str:
    return TABLE.format(prefix=prefix)


FIXTURES: dict[str, str] = {}

# -- script: traditional, glosses, mojibake markers, spam ---------------------------------

FIXTURES["synthetic_mirror_traditional.txt"] = (
    "澳门百家乐,真人娱乐平台,免费彩金,体育投注app\n"
    "\n"
    "您當前的位置: 首頁 > 政務 > 政府信息公開 > 結果公開\n"
    "\n"
    "鳳縣人民政府辦公室關於2022年第三季度全縣政府網站與政務新媒體檢查情況的通報\n"
    "\n"
    "發布時間:2022-10-14 來源: 本網 閱讀次數: -\n"
    "【字體:大 中 小】\n"
    "\n"
    "各鎮(zhèn)人民政府,縣政府各部門:\n"
    "    根據《國務院辦公廳關於印發政府網站發展指引的通知》(國辦發〔2017〕47號)要求,現將2022年第三季度檢查情況通報如下。\n"
    " ?。ㄒ唬┱W站方面。第三季度,各單位共報送信息28條,縣公安局、縣財政局報送及時。\n"
    " ?。ǘ┱招旅襟w方面。個別賬號更新不及時。\n"
    "附件:2022年第三季度信息報送情況表\n"
    "鳳縣人民政府辦公室\n"
    "2022年10月12日\n"
    "附件\n"
    "2022年第三季度信息報送情況表\n"
    "單位\t報送數\t採用數\n"
    "縣公安局\t12\t8\n"
    "縣財政局\t9\t5\n"
    "縣衛(wèi)生健康局\t7\t3\n"
)

FIXTURES["synthetic_mirror_glossed_number.txt"] = (
    "寶政辦發(fā)〔2021〕12號(hào)\n"
    "各縣(xiàn)區(qū)人民政府,市政府各工作部門:\n"
    "一季度,各縣區(qū)、各部門共報送信息70條,市公安局、市財政局信息報送及時。\n"
    "附件:一季度政務信息採用情況表\n"
    "寶雞市人民政府辦公室\n"
    "2021年4月20日\n"
    "附件\n"
    "一季度政務信息採用情況表\n"
    "單位\t報送數\t採用數\n"
    "市公安局\t40\t21\n"
    "市財政局\t30\t12\n"
)

# Every character glossed: the valid UTF-8 file is mostly pinyin tone marks.
_GLOSSED = "".join(
    f"{ch}({py})" for ch, py in zip("各縣區共報送信息條", ["gè", "xiàn", "qū", "gòng", "bào", "sòng", "xìn", "xī", "tiáo"])
)
FIXTURES["synthetic_mirror_low_plausible.txt"] = (
    "鳳縣人民政府辦公室關於2022年第四季度政府網站信息報送情況的通報\n"
    + "\n".join(f"{_GLOSSED}ǎǒǔǖǘǚǜ ㄅㄆㄇㄈ" for _ in range(12))
    + "\n第四季度,各單位共報送信息30條。\n"
    + "單位\t報送數\t採用數\n縣公安局\t30\t8\n"
    + "鳳縣人民政府辦公室\n2023年1月9日\n"
)

# -- periods of every grain ------------------------------------------------------------


def bulletin(title: str, body: str, issuer: str, signed: str, prefix: str = "县", head: str = "") -> str:
    return f"{head}{title}\n各有关单位:\n{body}\n{issuer}\n{signed}\n{table(prefix)}"


FIXTURES["synthetic_period_month.txt"] = bulletin(
    "西宁市城东区人民政府办公室关于2017年9月份区政府门户网站信息报送情况的通报",
    "9月份,各单位共报送信息28条。仍有区统计局、区民政局等2家单位未完成整改。", "西宁市城东区人民政府办公室", "2017年10月9日", "区")
FIXTURES["synthetic_period_month_range.txt"] = bulletin(
    "宁陕县人民政府办公室关于2018年1—2月份政务信息报送情况的通报",
    "2018年1—2月份,各单位共报送信息28条。", "宁陕县人民政府办公室", "2018年3月5日")
FIXTURES["synthetic_period_cross_quarter.txt"] = bulletin(
    "",
    "现将3-4月份政府门户网站信息报送情况通报如下:各单位共报送信息28条。", "西宁市城东区人民政府办公室",
    "2018年5月10日", "区")
FIXTURES["synthetic_period_q1_months.txt"] = bulletin(
    "韩城市人民政府办公室关于2023年1-3月政府网站检查情况的通报",
    "各单位共报送信息28条。", "韩城市人民政府办公室", "2023年4月6日", "市")
FIXTURES["synthetic_period_half.txt"] = bulletin(
    "汉中市人民政府办公室关于2022年上半年政府网站检查情况的通报",
    "各单位共报送信息28条。", "汉中市人民政府办公室", "2022年7月8日", "市")
FIXTURES["synthetic_period_year.txt"] = bulletin(
    "平利县2023年全县政府网站与政务新媒体检查情况通报",
    "各单位共报送信息28条。", "平利县人民政府办公室", "2024年1月12日")
FIXTURES["synthetic_period_round.txt"] = bulletin(
    "十堰市2021年第二次政府网站和政务新媒体抽查情况通报",
    "各单位共报送信息28条。", "十堰市政务服务和大数据管理局", "2021年6月28日", "市")
FIXTURES["synthetic_period_quarter_no_year.txt"] = (
    "当前位置:首页 > 信息公开 > 通知公告\n"
    "一季度市长信箱办理情况\n"
    "发布时间:2025-04-08 来源:汉中市人民政府办公室\n"
    "一季度,市长信箱共收到来信28件,各单位共报送信息28条。\n"
    + table("市")
)
FIXTURES["synthetic_period_quarter_year_elsewhere.txt"] = (
    "四季度,各单位共报送信息28条,自2020年12月15日起实行周报。\n" + table()
)
FIXTURES["synthetic_period_none_printed.txt"] = (
    "2020年7月28日,县政府信息中心对全县政务新媒体进行了全面排查,各单位共报送信息28条。\n" + table()
)

# -- issuers at every level ------------------------------------------------------------

FIXTURES["synthetic_issuer_county.txt"] = bulletin(
    "宁陕县人民政府办公室关于2022年第二季度县政府网站检查情况的通报",
    "各单位共报送信息28条。", "宁陕县人民政府办公室", "2022年7月6日")
FIXTURES["synthetic_issuer_province.txt"] = bulletin(
    "陕西省人民政府办公厅关于2022年第二季度全省政府网站检查情况的通报",
    "各单位共报送信息28条。", "陕西省人民政府办公厅", "2022年7月20日", "省")
FIXTURES["synthetic_issuer_fragments.txt"] = (
    "第一季度市直单位政府网站检查情况\n"
    "针对近期市民反映的问题,各区县市及时整改。\n"
    "全市共检查政府网站28个,汉滨区、石泉县、宁陕县网站运行良好,各单位共报送信息28条。\n"
    "市政府办公室\n"
    "2023年4月10日\n"
    + table("市")
)

# -- metadata from real pages ----------------------------------------------------------

FIXTURES["synthetic_page_header.txt"] = (
    "当前位置:首页 > 政务公开 > 通知公告\n"
    "首  页 走进平利 新闻中心 政务公开 政务服务 互动交流\n"
    "\n"
    "关于2023年第二季度政府网站\n"
    "检查情况的通报\n"
    "发布时间:2023-07-12 09:30 来源:平利县人民政府办公室\n"
    "【字号:大 中 小】 分享到:\n"
    "\n"
    "根据《国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知》"
    "(国办秘函〔2019〕19号)要求,现将检查情况通报如下:各单位共报送信息28条。\n"
    "2023年7月10日\n"
    "扫一扫在手机上查看当前页面\n"
    + table()
)
FIXTURES["synthetic_info_block.txt"] = (
    "• 索 引 号:011336909/2022-00212\n"
    "• 文  号:旬政办函〔2022〕8号\n"
    "• 发布机构:旬阳市政府网\n"
    "• 成文日期:2022年10月20日\n"
    "• 名  称:旬阳市人民政府办公室关于2022年第三季度政府网站检查情况的通报\n"
    "\n"
    "旬阳市人民政府办公室关于2022年第三季度政府网站检查情况的通报\n"
    "字号: 分享到:\n"
    "各镇人民政府,市政府各部门:\n"
    "第三季度,各单位共报送信息28条。\n"
    "2022年10月18日\n"
    + table("市")
)
FIXTURES["synthetic_own_number.txt"] = (
    "当前位置:首页 > 专题专栏 > 政务新媒体检查\n"
    "石政办公开〔2023〕5號:《石泉县政府办公室关于2023年7月政府网站检查情况的通报》\n"
    "来源:石泉县人民政府办公室\n"
    "发布时间:2023-08-15\n"
    "各镇人民政府,县政府各部门:\n"
    "按照《陕西省政府网站与政务新媒体检查指标》(陕政办函〔2020〕3号)要求,各单位共报送信息28条。\n"
    + table()
)


def docx_twin(text: str, path: Path) -> None:
    """The same bulletin as a Word file: one paragraph per line, the tab rows as a table."""
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            grid = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    grid.cell(r, c).text = cell
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            document.add_paragraph(line)
    flush()
    stamp = datetime(2022, 10, 14)
    document.core_properties.created = document.core_properties.modified = stamp
    raw = io.BytesIO()
    document.save(raw)
    # Same bytes on every run: fixed member dates, members in their saved order.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2022, 10, 14, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    path.write_bytes(out.getvalue())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in FIXTURES.items():
        (OUT / name).write_text(text, encoding="utf-8")
    docx_twin(FIXTURES["synthetic_mirror_traditional.txt"], OUT / "synthetic_mirror_traditional.docx")
    print(f"wrote {len(FIXTURES) + 1} fixtures to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
