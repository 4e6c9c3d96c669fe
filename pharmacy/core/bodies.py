"""Limits on request bodies that the store parses itself (webhooks and other
machine-to-machine endpoints), checked before any parser sees the bytes.

Python's JSON parser recurses once per nesting level, so a small body nested
100,000 deep raises RecursionError instead of a clean "bad request"; real
payloads are a few levels deep.
"""

import re

MAX_JSON_DEPTH = 64

# JSON strings, whose brackets are text, not structure.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class BodyRefused(ValueError):
    """A body too large or too deeply nested to parse; the words say which."""


def json_depth(payload: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest, counted without
    parsing it (linear in its length, no recursion)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', payload)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def json_body_check(
    payload: bytes, *, max_bytes: int, max_depth: int = MAX_JSON_DEPTH
) -> None:
    """Refuse a JSON body over ``max_bytes`` or nested deeper than
    ``max_depth``, before it is parsed."""
    if len(payload) > max_bytes:
        raise BodyRefused(f"body larger than {max_bytes} bytes")
    if json_depth(payload) > max_depth:
        raise BodyRefused(f"body nested deeper than {max_depth} levels")
