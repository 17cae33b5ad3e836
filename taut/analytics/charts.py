"""Server-drawn SVG charts of the analytics page (the same markup works in the PDF): the
forest plot of responder rates, the Kaplan–Meier curves with their bands, and GAS T-scores
by month. Plain strings with every text escaped; no script."""

from collections.abc import Sequence
from html import escape

from taut.analytics.operations import GoalMonth
from taut.analytics.pages import ForestRow, LabelledCurve
from taut.clinical import analytics

WIDTH = 760
LABEL_W = 270
PLOT_W = 300
ROW_H = 22
COLOURS = ("#1f5fa8", "#b3541e", "#2e7d32", "#7b3fa0", "#8a6d00", "#00838f")
DAYS_SHOWN = 120  # the durability axis: four months after the session


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _svg(height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="12"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def forest(rows: Sequence[ForestRow]) -> str:
    """Each group's share of responders as a point with its 95 % interval on a 0–100 %
    axis, grouped under its breakdown's name; suppressed and empty groups say so."""
    if not rows:
        return ""
    x0 = LABEL_W
    body: list[str] = []
    y = 30.0
    for tick in range(0, 101, 25):
        x = x0 + PLOT_W * tick / 100
        body.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{{bottom}}" stroke="#ddd"/>')
        body.append(_text(x, 14, f"{tick} %", text_anchor="middle", fill="#444"))
    heading = None
    for row in rows:
        if row.dimension_label != heading:
            heading = row.dimension_label
            y += ROW_H
            body.append(_text(4, y, heading, font_weight="bold"))
        y += ROW_H
        body.append(_text(14, y, row.label[:40]))
        proportion = row.rate.proportion
        if row.shown:
            assert proportion.low is not None and proportion.high is not None
            assert proportion.estimate is not None
            lo, hi = x0 + PLOT_W * proportion.low, x0 + PLOT_W * proportion.high
            mid = x0 + PLOT_W * proportion.estimate
            body.append(
                f'<line x1="{lo:.1f}" y1="{y - 4:.1f}" x2="{hi:.1f}" y2="{y - 4:.1f}" '
                'stroke="#1f5fa8" stroke-width="2"/>'
            )
            body.append(
                f'<rect x="{mid - 4:.1f}" y="{y - 8:.1f}" width="8" height="8" fill="#1f5fa8"/>'
            )
            note = (
                f"{round(proportion.estimate * 100)} % ({round(proportion.low * 100)}–"
                f"{round(proportion.high * 100)}) of {proportion.n}"
            )
        elif row.rate.cell == analytics.Cell.EMPTY or proportion.n == 0:
            note = "no scored sessions"
        else:
            note = "fewer than 11 patients"
        body.append(_text(x0 + PLOT_W + 10, y, note, fill="#222"))
    bottom = y + 10
    return _svg(bottom, "Share of responders by group, with 95 % intervals", body).replace(
        "{bottom}", f"{bottom:.0f}"
    )


def curves(labelled: Sequence[LabelledCurve]) -> str:
    """Kaplan–Meier curves of relief lasting (≥ 50 %) over days after the session, each
    with its 95 % band, up to ``DAYS_SHOWN`` days; a legend names each curve."""
    shown = [c for c in labelled if c.curve.survival is not None][: len(COLOURS)]
    if not shown:
        return ""
    x0, top, plot_h = 60.0, 20.0, 240.0
    plot_w = WIDTH - x0 - 220

    def px(day: float) -> float:
        return x0 + plot_w * min(day, DAYS_SHOWN) / DAYS_SHOWN

    def py(p: float) -> float:
        return top + plot_h * (1 - p)

    body = [
        f'<line x1="{x0}" y1="{py(0):.1f}" x2="{x0 + plot_w:.1f}" y2="{py(0):.1f}" stroke="#444"/>',
        f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{py(0):.1f}" stroke="#444"/>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        body.append(_text(x0 - 6, py(tick) + 4, f"{round(tick * 100)} %", text_anchor="end"))
        body.append(
            f'<line x1="{x0}" y1="{py(tick):.1f}" x2="{x0 + plot_w:.1f}" y2="{py(tick):.1f}" stroke="#eee"/>'
        )
    for day in range(0, DAYS_SHOWN + 1, 14):
        body.append(_text(px(day), py(0) + 16, str(day), text_anchor="middle"))
    body.append(_text(x0 + plot_w / 2, py(0) + 32, "Days after the session", text_anchor="middle"))
    for index, item in enumerate(shown):
        survival = item.curve.survival
        assert survival is not None
        colour = COLOURS[index]
        line, upper, lower = [(0.0, 1.0)], [(0.0, 1.0)], [(0.0, 1.0)]
        last, last_low, last_high = 1.0, 1.0, 1.0
        for step in survival.steps:
            if step.time > DAYS_SHOWN:
                break
            line += [(step.time, last), (step.time, step.survival)]
            low = step.low if step.low == step.low else last_low  # NaN keeps the last
            high = step.high if step.high == step.high else last_high
            upper += [(step.time, last_high), (step.time, high)]
            lower += [(step.time, last_low), (step.time, low)]
            last, last_low, last_high = step.survival, low, high
        end = min(survival.steps[-1].time, DAYS_SHOWN) if survival.steps else 0
        line.append((end, last))
        upper.append((end, last_high))
        lower.append((end, last_low))
        band = upper + list(reversed(lower))
        points = " ".join(f"{px(d):.1f},{py(p):.1f}" for d, p in band)
        body.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="0.12" stroke="none"/>'
        )
        path = " ".join(f"{px(d):.1f},{py(p):.1f}" for d, p in line)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        ly = top + 14 + index * 18
        lx = x0 + plot_w + 16
        body.append(f'<rect x="{lx:.1f}" y="{ly - 9:.1f}" width="12" height="3" fill="{colour}"/>')
        body.append(_text(lx + 18, ly, f"{item.label[:26]} ({item.curve.patients})"))
    return _svg(top + plot_h + 44, "Share of sessions with relief still at least 50 %", body)


def goals(months: Sequence[GoalMonth]) -> str:
    """Mean GAS T-score of each month's sessions, with the expected level (50) marked."""
    if not months:
        return ""
    x0, top, plot_h = 60.0, 16.0, 160.0
    plot_w = WIDTH - x0 - 40
    step = plot_w / max(len(months) - 1, 1)

    def py(t: float) -> float:
        return top + plot_h * (1 - (min(max(t, 20), 80) - 20) / 60)

    body = [
        f'<line x1="{x0}" y1="{py(50):.1f}" x2="{x0 + plot_w:.1f}" y2="{py(50):.1f}" '
        'stroke="#888" stroke-dasharray="4 3"/>',
        _text(x0 + plot_w, py(50) - 4, "expected level (50)", text_anchor="end", fill="#555"),
    ]
    for tick in (20, 35, 50, 65, 80):
        body.append(_text(x0 - 6, py(tick) + 4, str(tick), text_anchor="end"))
    points = []
    for index, month in enumerate(months):
        x = x0 + step * index
        points.append(f"{x:.1f},{py(month.mean_t):.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{py(month.mean_t):.1f}" r="3.5" fill="#1f5fa8"/>')
        body.append(
            _text(x, top + plot_h + 16, month.month.strftime("%b %Y"), text_anchor="middle")
        )
    body.append(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#1f5fa8" stroke-width="2"/>'
    )
    return _svg(top + plot_h + 28, "Mean GAS T-score by month of the session", body)
