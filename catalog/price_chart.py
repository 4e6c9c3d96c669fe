"""A small picture of the price table: price per tablet against pack size, one
line per strength, drawn on the server as SVG coordinates.

Pure: it reads the PriceTable the page's table is built from (catalog/selectors.py),
so every point is a cell of the table, and the table stays the accessible truth.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from catalog.selectors import PriceTable
from pharmacy.core.charts import Frame, Tick

FRAME = Frame(width=480, height=220, left=52, right=16, top=14, bottom=40)
Y_TICKS = 4


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    tablets: int
    per_tablet: Decimal


@dataclass(frozen=True)
class ChartLine:
    strength_mg: Decimal
    points: list[ChartPoint]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def label_point(self) -> ChartPoint:
        return self.points[-1]


@dataclass(frozen=True)
class PriceChart:
    frame: Frame
    lines: list[ChartLine]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    currency: str


def _y_max(highest: Decimal) -> Decimal:
    """A round top for the axis: the highest price, up to the next 0.25/2.5/25..."""
    step = Decimal("0.25")
    while highest > step * 8:
        step *= 10
    return (highest / step).to_integral_value(rounding=ROUND_CEILING) * step


def price_chart(*, table: PriceTable) -> PriceChart | None:
    """Chart coordinates for the strengths and packs the table shows; None when
    there is nothing to compare (fewer than two packs)."""
    shown = [v for v in table.variants if v.strength_available]
    if len(shown) < 2 or len(table.pack_sizes) < 2:
        return None
    low, high = min(table.pack_sizes), max(table.pack_sizes)
    y_top = _y_max(max(v.per_tablet for v in shown))

    def x_of(tablets: int) -> float:
        return FRAME.left + FRAME.plot_width * (tablets - low) / (high - low)

    def y_of(price: Decimal) -> float:
        return FRAME.top + FRAME.plot_height * float(1 - price / y_top)

    lines = []
    for mg in table.strengths:
        points = [
            ChartPoint(
                x=x_of(v.tablets),
                y=y_of(v.per_tablet),
                tablets=v.tablets,
                per_tablet=v.per_tablet,
            )
            for v in shown
            if v.strength_mg == mg
        ]
        if points:
            lines.append(ChartLine(strength_mg=mg, points=points))
    y_ticks = [
        Tick(position=y_of(y_top * i / Y_TICKS), label=f"{y_top * i / Y_TICKS:.2f}")
        for i in range(Y_TICKS + 1)
    ]
    x_ticks = [Tick(position=x_of(t), label=str(t)) for t in table.pack_sizes]
    return PriceChart(
        frame=FRAME,
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        currency=shown[0].currency,
    )
