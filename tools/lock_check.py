"""Check, offline, that the lock files still match pyproject.toml.

Exit status 1 (with one line per problem) when a requirement in pyproject.toml
is not pinned in its lock file, the pinned version does not satisfy it, a pin
has no hash, or the lock pins something nothing needs any more. The fix for
each is `make lock`.

Run as ``python tools/lock_check.py`` (needs only ``packaging``).
"""

from __future__ import annotations

import contextlib
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

# Each lock file and the pyproject groups it covers; "build" is [build-system].
LOCKS: dict[str, tuple[str, ...]] = {
    "requirements/lock.txt": ("dependencies", "dev", "build"),
    "requirements/bench-lock.txt": ("dependencies", "dev", "bench", "build"),
}

_FROM_PYPROJECT = re.compile(r"\(pyproject\.toml\)$")


@dataclass
class Pin:
    name: str
    version: Version
    hashes: int
    marker: str
    via: list[str] = field(default_factory=list)


def pyproject_requirements(pyproject: dict, groups: Iterable[str]) -> list[Requirement]:
    """The requirements of the named groups: "dependencies", "build" or an extra."""
    requirements = []
    for group in groups:
        if group == "dependencies":
            lines = pyproject["project"].get("dependencies", [])
        elif group == "build":
            lines = pyproject.get("build-system", {}).get("requires", [])
        else:
            lines = pyproject["project"].get("optional-dependencies", {})[group]
        requirements.extend(Requirement(line) for line in lines)
    return requirements


def parse_lock(text: str) -> dict[str, list[Pin]]:
    """Pins by canonical name (a universal lock may pin one name per marker)."""
    pins: dict[str, list[Pin]] = {}
    current: Pin | None = None
    in_via = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            comment = line.lstrip("#").strip()
            if current is None:
                continue
            if comment.startswith("via"):
                rest = comment[len("via") :].strip()
                if rest:
                    current.via.append(rest)
                in_via = True
            elif in_via and raw.startswith("    #   "):
                current.via.append(comment)
            continue
        in_via = False
        if line.startswith("--hash="):
            if current is not None:
                current.hashes += 1
            continue
        spec, _, more = line.rstrip("\\").strip().partition(" --hash=")
        requirement = Requirement(spec)
        (specifier,) = list(requirement.specifier) or [None]
        if specifier is None or specifier.operator != "==":
            raise ValueError(f"not an exact pin: {line!r}")
        current = Pin(
            name=canonicalize_name(requirement.name),
            version=Version(specifier.version),
            hashes=1 if more else 0,
            marker=str(requirement.marker or ""),
        )
        pins.setdefault(current.name, []).append(current)
    return pins


def _parents(pin: Pin) -> list[str]:
    parents = []
    for via in pin.via:
        if _FROM_PYPROJECT.search(via):
            parents.append("(pyproject)")
        elif via.startswith("-r "):
            parents.append(via)  # a requirements file given to `make lock`: a root
        elif via.startswith("-"):
            continue  # "-c lock.txt": a constraint, needs nothing
        else:
            parents.append(canonicalize_name(via.split()[0]))
    return parents


def lock_problems(
    *, pyproject: dict, lock_text: str, groups: Iterable[str], lock_name: str
) -> list[str]:
    problems: list[str] = []
    try:
        pins = parse_lock(lock_text)
    except ValueError as error:
        return [f"{lock_name}: {error}"]
    wanted = pyproject_requirements(pyproject, groups)
    roots = {canonicalize_name(r.name) for r in wanted}

    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        if name not in pins:
            problems.append(
                f"{lock_name}: {requirement} is in pyproject.toml, not pinned"
            )
            continue
        for pin in pins[name]:
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(
                    f"{lock_name}: pins {pin.name}=={pin.version}, "
                    f"which pyproject.toml's {requirement} does not allow"
                )

    for name, entries in sorted(pins.items()):
        for pin in entries:
            if pin.hashes == 0:
                problems.append(f"{lock_name}: {name}=={pin.version} has no hash")

    # Stale: pinned, but no longer reached from pyproject.toml through the
    # "# via" annotations (a requirement removed, or a parent that went).
    needed = set(roots & pins.keys())
    changed = True
    while changed:
        changed = False
        for name, entries in pins.items():
            if name in needed:
                continue
            parents = {p for pin in entries for p in _parents(pin)}
            if any(p in needed or p.startswith("-r ") for p in parents):
                needed.add(name)
                changed = True
    for name in sorted(pins.keys() - needed):
        problems.append(
            f"{lock_name}: pins {name}, which nothing in pyproject.toml needs"
        )
    return problems


def agreement_problems(locks: dict[str, dict[str, list[Pin]]]) -> list[str]:
    """Two lock files never pin one package at two versions."""
    problems = []
    seen: dict[str, tuple[str, set[Version]]] = {}
    for lock_name, pins in locks.items():
        for name, entries in pins.items():
            versions = {pin.version for pin in entries}
            if name in seen and seen[name][1] != versions:
                other, other_versions = seen[name]
                problems.append(
                    f"{lock_name} pins {name} at {sorted(map(str, versions))}, "
                    f"{other} at {sorted(map(str, other_versions))}"
                )
            seen.setdefault(name, (lock_name, versions))
    return problems


def all_problems(root: Path = ROOT) -> list[str]:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    problems: list[str] = []
    parsed = {}
    for lock_name, groups in LOCKS.items():
        path = root / lock_name
        if not path.is_file():
            problems.append(f"{lock_name} is missing")
            continue
        text = path.read_text("utf-8")
        problems += lock_problems(
            pyproject=pyproject, lock_text=text, groups=groups, lock_name=lock_name
        )
        with contextlib.suppress(ValueError):  # already reported above
            parsed[lock_name] = parse_lock(text)
    return problems + agreement_problems(parsed)


def main() -> int:
    problems = all_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            "The lock files disagree with pyproject.toml: run `make lock` "
            "and commit requirements/.",
            file=sys.stderr,
        )
        return 1
    print(f"Lock files match pyproject.toml: {', '.join(LOCKS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
