"""A release's report as charts: SVG drawn on the server by matplotlib, nothing fetched.

Each chart is readable without colour: series differ by line style and marker
(the timeline) or by hatching (outcomes), every bar carries its number, and
the text stays text (``svg.fonttype: none``) for screen readers and search.
The preview shows each chart as an image with a text alternative and the
same numbers in a table beside it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STYLE: dict[str, Any] = {
    "svg.fonttype": "none",  # text as <text>, not paths
    "svg.hashsalt": "pressroom",  # the same ids every time: reproducible output
    "text.parse_math": False,  # a "$" in a list name is a dollar sign, not TeX
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
INK = "#1b1b1b"
SERIES = (
    # (colour, line style, marker, hatch): told apart by shape as much as by colour
    ("#1f4e9c", "-", "o", ""),
    ("#b3541e", "--", "s", "//"),
    ("#2e7d32", ":", "^", "xx"),
    ("#6a1b9a", "-.", "D", "\\\\"),
)
OUTCOMES = ("delivered", "opened", "clicked", "bounced")


def timeline_svg(timeline: Sequence[tuple[int, int, int]]) -> str:
    """Deliveries and first opens, added up hour by hour, over the first 48 hours."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(7.5, 3), layout="constrained")
        _timeline(figure, timeline)
        return _svg(figure)


def _timeline(figure: Figure, timeline: Sequence[tuple[int, int, int]]) -> None:
    from itertools import accumulate

    from matplotlib.ticker import MaxNLocator

    axes = figure.subplots()
    hours = [hour + 1 for hour, _d, _o in timeline]  # the total at the end of each hour
    series = (
        ("Delivered, in all", list(accumulate(d for _h, d, _o in timeline))),
        ("Opened, in all", list(accumulate(o for _h, _d, o in timeline))),
    )
    for (label, values), (colour, style, marker, _hatch) in zip(series, SERIES, strict=False):
        axes.step(
            [0, *hours], [0, *values], style, where="post", color=colour, label=label,
            marker=marker, markevery=6, markersize=5,
        )  # fmt: skip
    axes.set_xlabel("Hours after the first send", color=INK)
    axes.set_ylabel("Recipients", color=INK)
    axes.set_xlim(0, 48)
    axes.set_xticks(range(0, 49, 6))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, loc="lower right")


def outcomes_svg(groups: Mapping[str, Mapping[str, int]], what: str) -> str:
    """Delivered, opened, clicked and bounced recipients per list or outlet (*what*)."""
    import matplotlib
    from matplotlib.figure import Figure

    height = max(2.2, 0.9 + 0.66 * len(groups))
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(7.5, height), layout="constrained")
        _outcomes(figure, groups, what)
        return _svg(figure)


def _outcomes(figure: Figure, groups: Mapping[str, Mapping[str, int]], what: str) -> None:
    from matplotlib.ticker import MaxNLocator

    names = list(groups)
    axes = figure.subplots()
    bar = 0.8 / len(OUTCOMES)
    for index, (outcome, (colour, _style, _marker, hatch)) in enumerate(
        zip(OUTCOMES, SERIES, strict=True)
    ):
        positions = [row + index * bar for row in range(len(names))]
        values = [groups[name][outcome] for name in names]
        bars = axes.barh(
            positions, values, height=bar, color=colour, hatch=hatch, edgecolor="white",
            label=outcome.capitalize(),
        )  # fmt: skip
        axes.bar_label(bars, padding=2, color=INK, fontsize=8)
    axes.set_yticks([row + 0.4 - bar / 2 for row in range(len(names))], names, color=INK)
    axes.invert_yaxis()
    axes.set_xlabel("Recipients", color=INK)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"Outcome per {what}", color=INK, loc="left")
    figure.legend(frameon=False, loc="outside lower center", ncols=len(OUTCOMES))


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "pressroom"})
    return out.getvalue()
