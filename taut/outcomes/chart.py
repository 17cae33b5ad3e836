"""A small line chart drawn as SVG on the server: pain (NRS) and PEG over time, with the
sessions marked. Plain geometry, no JavaScript, so it prints and renders in the PDF."""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 30


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    nrs_path: str
    peg_path: str
    nrs_dots: tuple[tuple[float, float, str], ...]
    sessions: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, int], ...]
    x_labels: tuple[tuple[float, str], ...]
    plot_top: int
    plot_bottom: int
    peg_dots: tuple[tuple[float, float, str], ...] = ()  # marked in print, where colour can't tell


def _path(points):
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))


def _day(day) -> str:
    return f"{day:%d %b %Y}"


def draw(points, sessions, *, day_label=_day) -> Chart | None:
    """``points`` have day/nrs/peg; ``sessions`` have day and muscles. None when empty.
    ``day_label`` writes the first and last day under the axis (the patient's page passes
    one in their language)."""
    days = [p.day for p in points] + [s.day for s in sessions]
    if not points:
        return None
    first, last = min(days), max(days)
    span = max((last - first).days, 1)

    def x(day):
        return LEFT + (day - first).days / span * (WIDTH - LEFT - RIGHT)

    def y(value):
        return TOP + (10 - value) / 10 * (HEIGHT - TOP - BOTTOM)

    nrs = [(x(p.day), y(p.nrs)) for p in points if p.nrs is not None]
    peg = [(x(p.day), y(p.peg)) for p in points if p.peg is not None]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        nrs_path=_path(nrs),
        peg_path=_path(peg),
        nrs_dots=tuple(
            (x(p.day), y(p.nrs), f"{p.label} {p.day:%d %b %Y}: pain {p.nrs}/10")
            for p in points
            if p.nrs is not None
        ),
        sessions=tuple(
            (x(s.day), f"Session {s.day:%d %b %Y}: {', '.join(s.muscles)}") for s in sessions
        ),
        y_ticks=tuple((y(v), v) for v in (0, 5, 10)),
        x_labels=((x(first), day_label(first)), (x(last), day_label(last))),
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        peg_dots=tuple(
            (x(p.day), y(p.peg), f"{p.label} {p.day:%d %b %Y}: PEG {p.peg}")
            for p in points
            if p.peg is not None
        ),
    )
