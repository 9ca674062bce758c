"""Charts as Vega-Lite specifications, rendered to static SVG (and PNG) by vl-convert.

vl-convert runs Vega-Lite in an embedded engine and returns SVG text, so the
report carries its charts inline and loads no JavaScript, font or image from
anywhere. Text stays text (`<text>` elements) and is drawn by the reader's
CJK fonts; PNG export uses the fonts installed on this machine (on Debian,
`fonts-noto-cjk`).
"""

from __future__ import annotations

from .scope import short_label

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 220},
    "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 220},
    "header": {"labelFontSize": 12, "labelFont": FONT, "titleFont": FONT},
    "title": {"fontSize": 14, "anchor": "start"},
}
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier only: nothing is fetched
STATUS_COLOURS = {"有数据": "#4c9a5f", "缺期(无通报)": "#d9534f", "缺期(表格为他期)": "#f0ad4e", "缺期(无单位表格)": "#f7d08a"}


def _spec(title: str, body: dict) -> dict:
    return {"$schema": SCHEMA, "title": title, "config": CONFIG, "background": "white", **body}


def change_label(change: float | None, is_percent: bool = False) -> str:
    """Given a change since the previous period, return it as printed beside a bar: +10, −5, 0, or 无 (no comparison)."""
    if change is None:
        return "无上期"
    if is_percent:
        text = f"{change * 100:+.1f}个百分点"
    else:
        text = f"{change:+g}"
    return text.replace("-", "−")


def ranking_chart(ranking, is_rate: bool = False) -> dict:
    """Given a Ranking, return a horizontal bar chart of its units by group, each bar labelled with its change."""
    values = [
        {"单位": r["unit_name"], "分组": r["unit_group"], "数值": r["value"],
         "变化": change_label(r["change"], is_rate)}
        for r in ranking.rows
    ]
    x = {"field": "数值", "type": "quantitative", "title": ranking.metric_label}
    largest = max((r["value"] for r in ranking.rows if r["value"] is not None), default=0)
    if largest > 0:  # room after the longest bar for its change label
        x["scale"] = {"domainMax": largest * 1.18}
    if is_rate:
        x["axis"] = {"format": ".0%"}
    layer = [
        {"mark": {"type": "bar", "tooltip": False}, "encoding": {
            "y": {"field": "单位", "type": "nominal", "sort": "-x", "title": None},
            "x": x,
            "color": {"field": "分组", "type": "nominal", "legend": {"title": "分组", "orient": "bottom"}},
        }},
        {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10, "color": "#333"}, "encoding": {
            "y": {"field": "单位", "type": "nominal", "sort": "-x"},
            "x": {"field": "数值", "type": "quantitative"},
            "text": {"field": "变化"},
        }},
    ]
    return _spec(f"{ranking.city} {ranking.period} {ranking.kind_label}:{ranking.metric_label}(标注:较上期变化)", {
        "data": {"values": values},
        "facet": {"row": {"field": "分组", "type": "nominal", "title": None,
                          "header": {"labelAngle": 0, "labelAlign": "left", "labelAnchor": "start", "labelOrient": "top"}}},
        "spec": {"width": 420, "height": {"step": 18}, "layer": layer},
        "resolve": {"scale": {"y": "independent"}},
    })


def trend_chart(city: str, metric_label: str, points: list[dict], is_rate: bool = False) -> dict:
    """Given one city's trend rows (unit_name, period_key, value), return a line chart over the quarters; a gap breaks the line."""
    values = [{"单位": p["unit_name"], "季度": short_label(p["period_key"]), "数值": p["value"]} for p in points]
    y = {"field": "数值", "type": "quantitative", "title": metric_label}
    if is_rate:
        y["axis"] = {"format": ".0%"}
    return _spec(f"{city} {metric_label} 环比走势", {
        "data": {"values": values},
        "width": 520, "height": 240,
        "mark": {"type": "line", "point": True, "invalid": "break-paths-show-domains"},
        "encoding": {
            "x": {"field": "季度", "type": "ordinal", "sort": "ascending", "title": "季度"},
            "y": y,
            "color": {"field": "单位", "type": "nominal", "legend": {"title": "单位"}},
        },
    })


def comparison_chart(comparison: dict, function_names: dict[str, str]) -> dict:
    """Given comparison() output, return grouped bars: each function's percentile within its own city, one bar per city."""
    values = [
        {"职能": function_names.get(r["unit_function"], r["unit_function"]), "城市": r["city"],
         "百分位": r["percentile"], "单位": r["unit_name"]}
        for r in comparison["rows"] if r["percentile"] is not None
    ]
    return _spec(f"{comparison['period']} 各市同类部门{comparison['metric_label']}百分位(市内同类单位中)", {
        "data": {"values": values},
        "width": 460, "height": {"step": 12},
        "mark": "bar",
        "encoding": {
            "y": {"field": "职能", "type": "nominal", "title": None},
            "yOffset": {"field": "城市", "type": "nominal"},
            "x": {"field": "百分位", "type": "quantitative", "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"},
                  "title": "市内百分位(1 = 最高)"},
            "color": {"field": "城市", "type": "nominal", "legend": {"title": "城市", "orient": "bottom"}},
        },
    })


def coverage_chart(cells: list[dict]) -> dict:
    """Given coverage() rows, return a city × quarter grid coloured by whether figures are present and why not."""
    values = [{"城市": c["city"], "季度": short_label(c["period_key"]), "状态": coverage_status(c)} for c in cells]
    present = [s for s in STATUS_COLOURS if any(v["状态"] == s for v in values)]
    return _spec("各市各季度通报覆盖情况", {
        "data": {"values": values},
        "width": {"step": 56}, "height": {"step": 28},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
        "encoding": {
            "x": {"field": "季度", "type": "ordinal", "sort": "ascending", "title": None, "axis": {"orient": "top"}},
            "y": {"field": "城市", "type": "nominal", "title": None},
            "color": {"field": "状态", "type": "nominal", "title": "状态",
                      "scale": {"domain": present, "range": [STATUS_COLOURS[s] for s in present]}},
        },
    })


def coverage_status(cell: dict) -> str:
    if not cell["is_gap"]:
        return "有数据"
    return {"tables_cover_other_period": "缺期(表格为他期)", "no_unit_tables": "缺期(无单位表格)"}.get(
        cell.get("gap_reason"), "缺期(无通报)")


def to_svg(spec: dict) -> str:
    """Render a Vega-Lite spec to SVG text."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def to_png(spec: dict, scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec to PNG bytes (for slides), with this machine's fonts."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=scale)
