"""A small picture of the daily waits (checkout/waiting_times.py): one bar per
day, as tall as the longest wait for a pharmacist's first decision that day,
drawn on the server as SVG coordinates, as the product page's price chart is.

Pure: every bar is a row of the table printed under it, which stays the
accessible truth.
"""

import math
from dataclasses import dataclass

from checkout.waiting_times import DayWait
from pharmacy.core.charts import Frame, Tick

FRAME = Frame(width=480, height=200, left=52, right=24, top=12, bottom=30)
Y_TICKS = 4
BAR_SHARE = 0.7  # of each day's slot; the rest is the gap between bars
LABEL_EVERY = 7  # days between dates under the axis
# Round tops for the axis, in hours; past the last, whole multiples of it.
ROUND_TOPS = (1, 2, 4, 8, 12, 24, 48, 96, 192)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    wait: DayWait


@dataclass(frozen=True)
class WaitChart:
    frame: Frame
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _top_hours(longest_hours: float) -> int:
    for top in ROUND_TOPS:
        if longest_hours <= top:
            return top
    return math.ceil(longest_hours / ROUND_TOPS[-1]) * ROUND_TOPS[-1]


def hours_label(hours: float) -> str:
    """An axis label: minutes under an hour, else hours ("15 min", "1.5 h")."""
    if 0 < hours < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:g} h"


def wait_chart(*, waits: list[DayWait]) -> WaitChart | None:
    """Chart coordinates for the days given, oldest first; None when no order
    was decided on any of them (there is nothing to draw)."""
    decided = [w for w in waits if w.longest_seconds is not None]
    if not decided:
        return None
    top = _top_hours(max(w.longest_seconds for w in decided) / 3600)
    slot = FRAME.plot_width / len(waits)
    bar_w = slot * BAR_SHARE

    def y_of(hours: float) -> float:
        return FRAME.top + FRAME.plot_height * (1 - hours / top)

    bars = []
    for index, wait in enumerate(waits):
        if wait.longest_seconds is None:
            continue
        y = y_of(wait.longest_seconds / 3600)
        bars.append(
            Bar(
                x=FRAME.left + slot * index + (slot - bar_w) / 2,
                y=y,
                width=bar_w,
                height=FRAME.plot_bottom - y,
                wait=wait,
            )
        )
    y_ticks = [
        Tick(position=y_of(top * i / Y_TICKS), label=hours_label(top * i / Y_TICKS))
        for i in range(Y_TICKS + 1)
    ]
    # Dates under the axis, counted back from today so today is labelled.
    x_ticks = [
        Tick(
            position=FRAME.left + slot * (index + 0.5),
            label=f"{waits[index].day.day} {waits[index].day:%b}",
        )
        for index in range(len(waits) - 1, -1, -LABEL_EVERY)
    ][::-1]
    return WaitChart(
        frame=FRAME,
        bars=bars,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
