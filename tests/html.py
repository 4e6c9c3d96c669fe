"""A small DOM over the standard library's HTML parser, keeping text as written:
enough for tests to find elements and read what a page shows."""

import re
from html.parser import HTMLParser

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class Node:
    def __init__(self, tag: str, attrs) -> None:
        self.tag = tag
        self.attrs = dict(attrs)
        self.children: list = []

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    @property
    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page(response) -> Node:
    """A 200 response's HTML, parsed."""
    assert response.status_code == 200, response.status_code
    return parse(response.content.decode())


def find_all(root: Node, tag: str, *, cls: str | None = None, **attrs) -> list[Node]:
    """Elements called tag (with that class and those attributes) under root."""
    return [
        el
        for el in root.walk()
        if el.tag == tag
        and (cls is None or cls in (el.attrs.get("class") or "").split())
        and all(el.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
    ]


def find_one(root: Node, tag: str, **kwargs) -> Node:
    found = find_all(root, tag, **kwargs)
    assert len(found) == 1, f"expected one <{tag} {kwargs}>, found {len(found)}"
    return found[0]


def text(node: Node) -> str:
    """The element's text as a reader sees it: whitespace collapsed."""
    return re.sub(r"\s+", " ", node.raw_text).strip()
