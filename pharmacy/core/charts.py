"""What the server-drawn SVG charts share (catalog/price_chart.py,
checkout/waiting_chart.py): the drawing's size and margins, the plot area
they leave, and the ticks along an axis. Each chart places its own marks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Frame:
    """A drawing ``width`` by ``height``, with margins for the axis labels."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_left(self) -> int:
        return self.left

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_top(self) -> int:
        return self.top

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom
