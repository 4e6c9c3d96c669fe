"""Reading a prescription's directions, as prescribers write them.

``directions_read`` is the one parser: the review page's record, a completed
transfer, days of supply and the maximum-dose check all use what it read.
It understands plain English ("one tablet three times a day", "half a tablet
at bedtime") and sig codes ("1 tab PO TID", "q8h", "qHS", "PRN ... max 3/day").

It reads one dose taken a fixed number of times a day. Anything else (a range
of doses, a dose that changes over time, "as directed", as needed with no
maximum, a number it cannot place) is ``NotUnderstood``: a guess here would
decide how long a supply lasts and whether a dose is too high, so the
pharmacist is asked instead.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

_WORDS = {
    "a": Decimal(1),
    "an": Decimal(1),
    "one": Decimal(1),
    "two": Decimal(2),
    "three": Decimal(3),
    "four": Decimal(4),
    "five": Decimal(5),
    "six": Decimal(6),
    "eight": Decimal(8),
    "twelve": Decimal(12),
    "half": Decimal("0.5"),
    "half a": Decimal("0.5"),
    "a half": Decimal("0.5"),
    "one half": Decimal("0.5"),
    "one and a half": Decimal("1.5"),
    "once": Decimal(1),
    "twice": Decimal(2),
    "thrice": Decimal(3),
}
# Longest first, so "one and a half" is not read as "one".
_WORD_NUM = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
NUM = rf"(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|\.\d+|{_WORD_NUM})"
_TABLET = r"(?:tablets?|tabs?)"
_MG = r"(?:mg|milligrams?)"
_DAY = r"(?:day|daily|d|24\s*h(?:ours?|rs?)?)"

# Words that mean the dose changes, or is not written down at all.
_UNREADABLE = re.compile(
    r"\b(?:then|increas\w*|decreas\w*|reduc\w*|tapers?|tapering|titrat\w*|"
    r"alternat\w*|every\s+other|qod|as\s+directed|ud|week\s*\d|day\s*\d|"
    r"until|except|or)\b"
)
# Doses in anything but tablets or mg (this is a tablet shop).
_OTHER_UNIT = re.compile(
    r"\b(?:caps?|capsules?|ml|millilit\w*|drops?|puffs?|patch\w*|mcg|micrograms?|"
    r"g|grams?|teaspoons?|tsp|spoonfuls?|sachets?)\b"
)
_RANGE = re.compile(rf"\b{NUM}\s*(?:-|–|to)\s*{NUM}\b")
_AS_NEEDED = re.compile(
    r"\b(?:prn|as\s+needed|when\s+needed|if\s+needed|as\s+required|when\s+required)\b"
)
_MAXIMUM = re.compile(
    rf"\b(?:max(?:imum)?|not\s+to\s+exceed|do\s+not\s+exceed|no\s+more\s+than|"
    rf"(?:do\s+)?not\s+(?:take\s+)?more\s+than|up\s+to)\s*(?:of\s+)?(?P<n>{NUM})\s*"
    rf"(?P<unit>{_TABLET}|{_MG}|doses?|times?|x)?\s*(?:/|per|a|an|in|each|every)?"
    rf"\s*{_DAY}\b"
)
_COUNT_A_DAY = re.compile(
    rf"\b(?P<n>{NUM})\s*(?:x|times?)\s*(?:/|a|per|each|every)?\s*{_DAY}\b"
    rf"|\b(?P<word>once|twice|thrice)\s+(?:a\s+|per\s+|each\s+|every\s+)?{_DAY}\b"
)
_INTERVAL = re.compile(
    rf"\bq\s*(?P<h>\d+)\s*(?:h|hr|hrs|hours?)\b|\bevery\s+(?P<n>{NUM})\s+hours?\b"
)
_CODES = {
    1: r"qd|od|daily|every\s+day|each\s+day",
    2: r"bid|bd",
    3: r"tid|tds",
    4: r"qid|qds",
}
_CODE = re.compile(
    r"\b(?:" + "|".join(f"(?P<c{n}>{p})" for n, p in _CODES.items()) + r")\b"
)
# Times of day, each one dose a day: "at bedtime" alone is once a day.
_DAYPARTS = {
    "morning": r"qam|mane|(?:in\s+the|every|each)\s+morning|am",
    "noon": r"(?:at\s+)?(?:noon|midday|lunchtime|lunch)",
    "evening": r"qpm|(?:in\s+the|every|each)\s+evening|pm",
    "bedtime": r"qhs|hs|(?:at|before)\s+(?:bedtime|bed|night)|nightly|every\s+night",
}
_DAYPART = re.compile(
    r"\b(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _DAYPARTS.items()) + r")\b"
)
_DOSE = re.compile(
    rf"\b(?P<n>{NUM})\s*(?P<unit>{_TABLET}|{_MG})(?![a-z])"
    rf"|\b(?P<half>half)\s+(?:a\s+)?(?P<hunit>{_TABLET})\b"
)
# A course length changes neither the dose nor the times a day.
_COURSE = re.compile(rf"\b(?:for|x)\s+{NUM}\s+(?:days?|weeks?|months?)\b")
# A number left once everything else is read ("a" and "once" are words here).
_BARE_NUMBER = re.compile(
    r"(?<![\w.])(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|\.\d+|"
    r"one|two|three|four|five|six|eight|twelve|half)(?![\w/.])"
)


@dataclass(frozen=True)
class Reading:
    """What the directions say: one dose, ``times_a_day`` times a day.

    The dose is in tablets or in mg (``tablets``/``mg``; both when the
    prescriber wrote both). For as-needed directions ``times_a_day`` is the
    most a day, which is what supply and the maximum dose are checked at.
    """

    times_a_day: int
    tablets: Decimal | None = None
    mg: Decimal | None = None
    as_needed: bool = False
    understood = True

    def dose_mg(self, *, strength_mg: Decimal | None) -> Decimal | None:
        """mg each time: as written, or tablets x strength (None when the
        dose is in tablets and the strength is not known)."""
        if self.mg is not None:
            return self.mg
        if strength_mg is None:
            return None
        return self.tablets * strength_mg

    def describe(self) -> str:
        if self.tablets is not None:
            dose = f"{_plain(self.tablets)} tablet{'s' if self.tablets > 1 else ''}"
            if self.mg is not None:
                dose += f" ({_plain(self.mg)} mg)"
        else:
            dose = f"{_plain(self.mg)} mg"
        times = (
            "once a day" if self.times_a_day == 1 else f"{self.times_a_day} times a day"
        )
        if self.as_needed:
            return f"{dose} as needed, at most {times}"
        return f"{dose} {times}"


@dataclass(frozen=True)
class NotUnderstood:
    """The directions could not be read; ``reason`` says what was unclear."""

    reason: str
    understood = False


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _number(text: str) -> Decimal:
    text = " ".join(text.split())
    if text in _WORDS:
        return _WORDS[text]
    if " " in text:  # "1 1/2"
        whole, fraction = text.split(" ")
        return Decimal(whole) + _number(fraction)
    if "/" in text:
        top, bottom = text.split("/")
        return Decimal(top) / Decimal(bottom) if int(bottom) else Decimal(0)
    return Decimal(text)


def _normalise(text: str) -> str:
    text = (text or "").lower().replace("½", " 1/2 ")
    # "t.i.d." -> "tid", "p.r.n." -> "prn"; decimals such as 0.5 are kept.
    text = re.sub(r"(?<=[a-z])\.", "", text)
    text = re.sub(r"(?<=\d)(?=[a-z])", " ", text)  # "10mg" -> "10 mg"
    text = re.sub(r"[,;:()\[\]]", " ", text)
    return " ".join(text.split())


def _cut(pattern: re.Pattern, text: str) -> tuple[list[re.Match], str]:
    """Every match of ``pattern``, and the text with them blanked out, so a
    number read once is not read again."""
    found = list(pattern.finditer(text))
    for match in reversed(found):
        text = text[: match.start()] + " ; " + text[match.end() :]
    return found, text


def directions_read(*, text: str) -> Reading | NotUnderstood:
    """Read ``text`` into one dose and the times a day, or say why not."""
    rest = _normalise(text)
    if not rest:
        return NotUnderstood("There are no directions.")
    if _UNREADABLE.search(rest):
        return NotUnderstood(
            "The directions change the dose, or do not give one fixed dose."
        )
    if _OTHER_UNIT.search(rest):
        return NotUnderstood("The dose is not in tablets or mg.")
    if _RANGE.search(rest):
        return NotUnderstood("The directions give a range, not one amount.")

    needed, rest = _cut(_AS_NEEDED, rest)
    maxima, rest = _cut(_MAXIMUM, rest)
    _, rest = _cut(_COURSE, rest)
    counts, rest = _cut(_COUNT_A_DAY, rest)
    intervals, rest = _cut(_INTERVAL, rest)
    doses, rest = _cut(_DOSE, rest)
    codes, rest = _cut(_CODE, rest)
    dayparts, rest = _cut(_DAYPART, rest)

    tablets, mg, problem = _dose(doses, rest)
    if problem:
        return NotUnderstood(problem)

    frequencies = set()
    for match in counts:
        frequencies.add(_number(match.group("n") or match.group("word")))
    for match in intervals:
        hours = _number(match.group("h") or match.group("n"))
        if not hours or 24 % hours:
            return NotUnderstood("The interval between doses does not divide a day.")
        frequencies.add(24 / hours)
    for match in codes:
        frequencies.add(next(n for n in _CODES if match.group(f"c{n}") is not None))
    parts = {k for m in dayparts for k, v in m.groupdict().items() if v}
    if parts:
        frequencies.add(len(parts))
    if len(frequencies) > 1:
        return NotUnderstood("The directions give two different times a day.")

    as_needed = bool(needed) or any(m.group(0).startswith("up") for m in maxima)
    most, problem = _maximum(maxima, tablets=tablets, mg=mg)
    if problem:
        return NotUnderstood(problem)
    times = frequencies.pop() if frequencies else None
    if as_needed:
        if most is None and times is None:
            return NotUnderstood("As needed, with no maximum a day.")
        times = min(t for t in (times, most) if t is not None)
    elif most is not None:
        times = min(t for t in (times, most) if t is not None)
    if times is None:
        return NotUnderstood("The directions do not say how often.")
    if times != int(times) or not 1 <= times <= 24:
        return NotUnderstood("The times a day are not a whole number.")
    return Reading(times_a_day=int(times), tablets=tablets, mg=mg, as_needed=as_needed)


def _dose(doses: list[re.Match], rest: str):
    """(tablets, mg, problem) from the dose matches and what is left over."""
    amounts = {"tablet": set(), "mg": set()}
    for match in doses:
        if match.group("half"):
            amounts["tablet"].add(Decimal("0.5"))
            continue
        unit = "mg" if re.fullmatch(_MG, match.group("unit")) else "tablet"
        amounts[unit].add(_number(match.group("n")))
    leftover = _BARE_NUMBER.findall(rest)
    if not amounts["tablet"] and not amounts["mg"] and len(leftover) == 1:
        # "1 PO BID": a bare count is tablets.
        amounts["tablet"].add(_number(leftover.pop()))
    if leftover:
        return None, None, "The directions hold a number that is not a dose."
    if len(amounts["tablet"]) > 1 or len(amounts["mg"]) > 1:
        return None, None, "The directions give more than one dose."
    tablets = next(iter(amounts["tablet"]), None)
    mg = next(iter(amounts["mg"]), None)
    if tablets is None and mg is None:
        return None, None, "The directions do not give a dose."
    if (tablets is not None and tablets <= 0) or (mg is not None and mg <= 0):
        return None, None, "The dose is not a positive amount."
    return tablets, mg, None


def _maximum(maxima: list[re.Match], *, tablets, mg):
    """(most doses a day, problem) from "max 3/day", "max 6 tabs/day"..."""
    if not maxima:
        return None, None
    if len(maxima) > 1:
        return None, "The directions give more than one maximum."
    match = maxima[0]
    n = _number(match.group("n"))
    unit = match.group("unit") or "times"
    if re.fullmatch(_TABLET, unit):
        if tablets is None:
            return None, "The maximum is in tablets but the dose is not."
        n = n / tablets
    elif re.fullmatch(_MG, unit):
        if mg is None:
            return None, "The maximum is in mg but the dose is not."
        n = n / mg
    if n != int(n) or n < 1:
        return None, "The maximum a day is not a whole number of doses."
    return int(n), None
