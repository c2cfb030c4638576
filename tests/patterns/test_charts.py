"""The score chart: diverging stacked bars as self-contained, accessible, escaped SVG."""

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.utils.safestring import SafeString

from patterns.charts import PALETTE, score_breakdown, score_chart_svg
from patterns.explanation import explain
from patterns.kinds.kintone.scenarios import S2
from patterns.scoring import rank
from patterns.services import compiled_catalog

pytestmark = pytest.mark.usefixtures("english")

SVG = "{http://www.w3.org/2000/svg}"
CRITERIA = [("security", "Security"), ("cost", "Licences & cost")]


def reason(criterion, effect):
    return SimpleNamespace(criterion=criterion, effect=effect)


def explained(*entries):
    return list(entries)


def entry(pattern, name, reasons, *, excluded=False):
    return SimpleNamespace(
        pattern=pattern,
        name=name,
        score=sum(r.effect for r in reasons),
        excluded=excluded,
        reasons=reasons,
    )


SAMPLE = explained(
    entry("a", "Option A", [reason("security", 3), reason("cost", 2), reason("cost", -1)]),
    entry("b", "Option B", [reason("security", -2)], excluded=True),
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output; raises unless well-formed


def bars(root, pattern):
    group = next(g for g in root.iter(f"{SVG}g") if g.get("data-pattern") == pattern)
    return [r for r in group.iter(f"{SVG}rect") if r.get("fill") != "none"], group


def zero_x(root):
    xs = {float(line.get("x1")) for line in root.iter(f"{SVG}line")}
    assert len(xs) == 1  # one zero for every bar
    return xs.pop()


def test_it_is_an_accessible_self_contained_image():
    svg = score_chart_svg(SAMPLE, CRITERIA, title="Scores", description="How each scores")
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Scores"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "How each scores"
    assert list(root)[0].tag == f"{SVG}title"  # the title comes first
    assert root.get("font-family") == "Noto Sans JP, sans-serif"
    assert re.fullmatch(r"0 0 800 \d+(\.\d+)?", root.get("viewBox"))
    assert root.get("width") is None and root.get("height") is None  # scales with its box
    text = str(svg)
    assert "style=" not in text and "<script" not in text and "<style" not in text


def test_positive_contributions_go_right_and_negative_left_in_criterion_colours():
    root = parse(score_chart_svg(SAMPLE, CRITERIA, title="t", description="d"))
    zero = zero_x(root)
    rects, _group = bars(root, "a")
    by_colour = {}
    for rect in rects:
        x, width = float(rect.get("x")), float(rect.get("width"))
        by_colour.setdefault(rect.get("fill"), []).append((x, width))
    security, cost = PALETTE[0], PALETTE[1]
    assert by_colour[security][0][0] == zero  # +3 starts at zero
    plus_cost, minus_cost = sorted(by_colour[cost], key=lambda xw: xw[0], reverse=True)
    assert plus_cost[0] >= zero  # +2 stacks to the right
    assert abs(minus_cost[0] + minus_cost[1] - zero) < 0.02  # -1 ends at zero, on the left
    unit = by_colour[security][0][1] / 3
    assert abs(plus_cost[1] - 2 * unit) < 0.02 and abs(minus_cost[1] - unit) < 0.02
    # every segment says what it is
    titles = sorted(r.find(f"{SVG}title").text for r in rects)
    assert titles == ["Licences & cost: +2", "Licences & cost: −1", "Security: +3"]


def test_the_total_is_written_and_excluded_options_are_marked():
    svg = str(score_chart_svg(SAMPLE, CRITERIA, title="t", description="d"))
    root = parse(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Fit 4 / 100" in texts and "Fit -2 / 100" in texts
    assert "Option B (excluded)" in texts
    rects, group = bars(root, "b")
    assert group.get("data-excluded") == "true"
    assert all(r.get("fill-opacity") == "0.35" for r in rects)
    assert any(r.get("stroke-dasharray") for r in group.iter(f"{SVG}rect"))


def test_the_legend_names_every_criterion_with_its_colour():
    root = parse(score_chart_svg(SAMPLE, CRITERIA, title="t", description="d"))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Security" in texts and "Licences & cost" in texts
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("width") == "14"}
    assert fills == {PALETTE[0], PALETTE[1]}


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script>'
    data = explained(entry("a", evil, [reason("security", 1)]))
    svg = str(
        score_chart_svg(
            data,
            [("security", "</text><script>1</script>")],
            title="<b>t</b>",
            description='" onload="x',
            font_family='x" onload="y',
        )
    )
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
    root = parse(svg)  # still well-formed
    names = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert evil in names  # the name stays text
    assert root.get("font-family") == 'x" onload="y'
    assert root.get("onload") is None


def test_no_answers_draws_no_bars_but_still_a_chart():
    data = explained(entry("a", "A", []), entry("b", "B", []))
    root = parse(score_chart_svg(data, CRITERIA, title="t", description="d"))
    assert bars(root, "a")[0] == [] and bars(root, "b")[0] == []
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts.count("Fit 0 / 100") == 2


def test_chart_ids_can_be_set_for_several_charts_on_one_page():
    root = parse(score_chart_svg(SAMPLE, CRITERIA, title="t", description="d", chart_id="c2"))
    assert root.get("id") == "c2"
    assert root.get("aria-labelledby") == "c2-title c2-desc"


def test_score_breakdown_gives_the_numbers_of_the_chart():
    rows = score_breakdown(SAMPLE, CRITERIA)
    assert rows[0]["by_criterion"] == [3, 1]
    assert rows[0]["positive"] == [3, 2] and rows[0]["negative"] == [0, -1]
    assert rows[1]["by_criterion"] == [-2, 0] and rows[1]["excluded"] is True


def test_it_draws_a_real_recommendation(catalog):
    compiled = compiled_catalog(catalog)
    result = explain(compiled, rank(compiled, S2, lang="en"), "en")
    criteria = [(key, compiled.label("en", "criterion", key)) for key in compiled.criteria]
    root = parse(score_chart_svg(result.entries, criteria, title="t", description="d"))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("data-pattern")]
    assert [g.get("data-pattern") for g in groups] == [e.pattern for e in result.entries]
    assert sum(1 for g in groups if g.get("data-excluded") == "true") == 3
    for row, entry in zip(score_breakdown(result.entries, criteria), result.entries, strict=True):
        assert sum(row["by_criterion"]) == entry.earned  # the points; the score is the fit
