"""Log lines as the store writes them: through the console handler's own JSON
formatter and filters (settings.LOGGING), kept in a list for a test to read."""

import contextlib
import logging


@contextlib.contextmanager
def json_lines_kept(logger: logging.Logger, *, level: int | None = None):
    """Every record reaching ``logger`` (at ``level`` and up, when given),
    formatted as the console handler formats it."""
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    keep = Keep()
    keep.setFormatter(console.formatter)
    for log_filter in console.filters:
        keep.addFilter(log_filter)
    before = logger.level
    logger.addHandler(keep)
    if level is not None:
        logger.setLevel(level)
    try:
        yield lines
    finally:
        logger.removeHandler(keep)
        logger.setLevel(before)
