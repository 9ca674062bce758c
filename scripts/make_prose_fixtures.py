"""Generate the prose fixtures: invented bulletins in the shapes real ones print.

Run from the repository root: `python scripts/make_prose_fixtures.py`.
Writes fixtures/text/synthetic_prose_*.txt. Every name and figure is
invented (青川市 is no real city); the sentence shapes are those of real
spot-check and ranking bulletins: a praise list, criticism lists with their
kinds, accounts under units, per-unit counts in a sentence, each way of
writing zero reporting, and a failure rate beside a pass rate. The outputs
are committed; tests/test_prose_real_shapes.py states by hand what each
sentence gives. This script does not import tongbao.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "fixtures" / "text"

SPOT_CHECK = """青川市人民政府办公室关于2024年第二季度全市政府网站与政务新媒体检查情况的通报

各县(市、区)人民政府,市政府各部门:

5月6日至10日,市政府办公室组织开展了2024年第二季度全市政府网站和政务新媒体检查。本次检查全市政府网站31个、政务新媒体88个,检查比例100%。现将有关情况通报如下:

一、总体情况

抽查发现12家政务新媒体不合格,不合格率13.6%,问题整改复查合格率100%。总体上,市财政局、市商务局,南山区、北湖镇网站运行管理情况较好。

二、存在问题

(一)政府网站方面。市水利局、东岭乡存在栏目更新不及时问题。严重表述错误问题依然存在,如市审计局、西河街道。

(二)政务新媒体方面。2024年3月已注销的南山区“南山早知道”、“南山好物”微信公众号,未经申请备案私自重新上线。东岭乡微信公众号“东岭发布、东岭党建”存在长期不更新问题。出现扣分情形的政务新媒体:青川教育(微信)、青川市民政局官博存在更新不及时问题。个别政务新媒体存在长期内容不更新问题。如微信公众号“青川早读、青川夜话”。

经检查,市政府门户网站未发现严重表述错误等单项否决问题。

三、下一步工作要求

各单位要严格落实“三审三校”制度,政务新媒体更新间隔不得超过14天。

青川市人民政府办公室
2024年6月20日
"""

RANKING = """青川市人民政府办公室关于2024年第二季度政务信息报送情况的通报

各县(市、区)人民政府,市政府各部门:

2024年第二季度,各单位共报送信息1200条,采用640条。其中,报送信息较多的单位是:市教育局52条、市公安局40条、北湖镇33条。

从报送情况看,市司法局、南山区信息报送及时,给予通报表扬。市统计局信息报送量为零,市民政局虽上报2条信息,但因内容质量不高未被采纳。龙溪镇、石门镇未发布和公开一条信息。

部分单位存在政务信息“零报送、零采用”的问题。
现对市医保局、市档案馆等2个部门单位予以通报。

附件:2024年第二季度零报送单位名单

东城街道、西城街道

青川市人民政府办公室
2024年7月8日
"""


def main() -> None:
    TEXT.mkdir(parents=True, exist_ok=True)
    (TEXT / "synthetic_prose_spot_check.txt").write_text(SPOT_CHECK, encoding="utf-8")
    (TEXT / "synthetic_prose_ranking.txt").write_text(RANKING, encoding="utf-8")


if __name__ == "__main__":
    main()
