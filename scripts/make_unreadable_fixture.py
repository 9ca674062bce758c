#!/usr/bin/env python3
"""Write fixtures/text/synthetic_unreadable_cells.md: an invented bulletin
whose table prints text where figures belong (`暂无`, `6O` with a letter O),
a dash (no figure printed, not unreadable) and ordinary numbers."""

from pathlib import Path

TEXT = """# 青溪市人民政府办公室关于2022年第三季度政府网站信息报送情况的通报
各县(市、区)人民政府,市政府各部门:
现将2022年第三季度政府网站信息报送情况通报如下。

附件
2022年第三季度信息报送情况表
| 排名 | 单位 | 报送数 | 采用数 |
|---|---|---|---|
| 1 | 市水务局 | 30 | 25 |
| 2 | 市档案局 | 暂无 | 20 |
| 3 | 市气象局 | 18 | 6O |
| 4 | 市粮食局 | — | 5 |

青溪市人民政府办公室
2022年10月9日
"""


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "fixtures" / "text" / "synthetic_unreadable_cells.md"
    out.write_text(TEXT, encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
