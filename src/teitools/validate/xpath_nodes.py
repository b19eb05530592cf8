"""XPath's nodes over an lxml tree, for :mod:`~teitools.validate.xpath_compile`: elements,
comments and processing instructions are lxml's own; attributes, text nodes and the document
node are small values made on demand (:class:`Attr`, :class:`Text`, :class:`Doc`), equal when
they stand for the same node. The axes give their nodes in axis order (reverse axes nearest
first), and :class:`Order` sorts nodes into document order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml.etree import _Element as Element

__all__ = ["Element"]  # lxml's, for the node types
COMMENT, PI = etree._Comment, etree._ProcessingInstruction


class XPathError(Exception):
    """A dynamic error of XPath (a cast that fails, two items where one is wanted ...)."""


class Untyped(str):
    """``xs:untypedAtomic``: the typed value of a node of a document without a schema."""


class Attr:
    """An attribute node: its element and its name (Clark notation)."""

    __slots__ = ("name", "parent")

    def __init__(self, parent: Element, name: str) -> None:
        self.parent, self.name = parent, name

    @property
    def value(self) -> str:
        value: str = self.parent.get(self.name, "")
        return value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Attr) and other.parent is self.parent and other.name == self.name

    def __hash__(self) -> int:
        return hash((id(self.parent), self.name))


class Text:
    """A text node: lxml's ``owner.text`` (``tail`` false) or ``owner.tail``."""

    __slots__ = ("owner", "tail")

    def __init__(self, owner: Element, tail: bool) -> None:
        self.owner, self.tail = owner, tail

    @property
    def value(self) -> str:
        value: str = (self.owner.tail if self.tail else self.owner.text) or ""
        return value

    @property
    def parent(self) -> Element | None:
        parent: Element | None = self.owner.getparent() if self.tail else self.owner
        return parent

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.owner is self.owner and other.tail == self.tail

    def __hash__(self) -> int:
        return hash((id(self.owner), self.tail))


class Doc:
    """The document node of a tree."""

    __slots__ = ("root",)

    def __init__(self, root: Element) -> None:
        self.root = root

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Doc) and other.root is self.root

    def __hash__(self) -> int:
        return hash(id(self.root))


NODES = (Element, Attr, Text, Doc)


def is_node(item: Any) -> bool:
    return isinstance(item, NODES)


def is_element(node: Any) -> bool:
    return isinstance(node, Element) and isinstance(node.tag, str)


def document(node: Any) -> Doc:
    """The document node of the tree ``node`` is in."""
    if isinstance(node, Doc):
        return node
    element = node.parent if isinstance(node, Attr) else getattr(node, "owner", node)
    return Doc(element.getroottree().getroot())


def parent(node: Any) -> Any:
    """The parent node, or None."""
    if isinstance(node, Element):
        up = node.getparent()
        return up if up is not None else Doc(node.getroottree().getroot())
    if isinstance(node, Attr):
        return node.parent
    if isinstance(node, Text):
        return node.parent
    return None


def string_value(node: Any) -> str:
    """A node's string value."""
    if isinstance(node, Element):
        if isinstance(node, COMMENT | PI):
            return node.text or ""
        return "".join(t for t in node.itertext() if isinstance(t, str))
    if isinstance(node, Attr | Text):
        return node.value
    return "".join(node.root.itertext())


def children(node: Any) -> Iterator[Any]:
    """The child nodes, text included, in document order."""
    if isinstance(node, Doc):
        yield from reversed(list(node.root.itersiblings(preceding=True)))
        yield node.root
        yield from node.root.itersiblings()
        return
    if not is_element(node):
        return
    if node.text:
        yield Text(node, False)
    for child in node:
        yield child
        if child.tail:
            yield Text(child, True)


def reversed_children(node: Any) -> Iterator[Any]:
    """The child nodes, text included, last first."""
    if isinstance(node, Doc):
        yield from reversed(list(children(node)))
        return
    if not is_element(node):
        return
    for child in reversed(node):
        if child.tail:
            yield Text(child, True)
        yield child
    if node.text:
        yield Text(node, False)


def descendants(node: Any) -> Iterator[Any]:
    """The descendant nodes in document order."""
    for child in children(node):
        yield child
        if is_element(child):
            yield from descendants(child)


def ancestors(node: Any) -> Iterator[Any]:
    """The ancestors, nearest first, up to the document node."""
    up = parent(node)
    while up is not None:
        yield up
        up = parent(up)


def following_siblings(node: Any) -> Iterator[Any]:
    """The following siblings, nearest first."""
    if isinstance(node, Text):
        # after an element's own text come its children; after a tail, the owner's siblings
        start = node.owner.getnext() if node.tail else next(iter(node.owner), None)
    elif isinstance(node, Element) and node.getparent() is not None:
        if node.tail:
            yield Text(node, True)
        start = node.getnext()
    else:
        return
    while start is not None:
        yield start
        if start.tail:
            yield Text(start, True)
        start = start.getnext()


def preceding_siblings(node: Any) -> Iterator[Any]:
    """The preceding siblings, nearest first."""
    if isinstance(node, Text):
        if not node.tail:
            return
        start = node.owner
    elif isinstance(node, Element) and node.getparent() is not None:
        start = node.getprevious()
        if start is None:
            up = node.getparent()
            if up is not None and up.text:
                yield Text(up, False)
            return
        if start.tail:
            yield Text(start, True)
    else:
        return
    while start is not None:
        yield start
        before = start.getprevious()
        if before is None:
            up = start.getparent()
            if up is not None and up.text:
                yield Text(up, False)
            return
        if before.tail:
            yield Text(before, True)
        start = before


class Order:
    """Document order for the nodes of one tree: a node's key is the path of child indices
    from the root (each element's worked out once), so that sorting a few nodes never
    walks the whole document."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self._paths: dict[Element, tuple[float, ...]] = {}

    def _path(self, element: Element) -> tuple[float, ...]:
        known = self._paths.get(element)
        if known is not None:
            return known
        up = element.getparent()
        if up is None:
            if element is self.root:
                path: tuple[float, ...] = (0,)
            else:  # a comment or processing instruction outside the root element
                after = any(n is element for n in self.root.itersiblings())
                path = (1,) if after else (-1,)
        else:
            path = (*self._path(up), up.index(element))
        self._paths[element] = path
        return path

    def key(self, node: Any) -> tuple[float, ...]:
        if isinstance(node, Doc):
            return ()
        if isinstance(node, Element):
            return self._path(node)
        if isinstance(node, Attr):
            return (*self._path(node.parent), -1, list(node.parent.keys()).index(node.name))
        if not node.tail:
            return (*self._path(node.owner), -0.5)  # before the first child
        owner = node.owner  # after the owner's subtree, before its next sibling
        path = self._path(owner)
        return (*path[:-1], path[-1] + 0.5)

    def sort(self, nodes: list[Any]) -> list[Any]:
        """``nodes`` in document order, each once."""
        unique = list(dict.fromkeys(nodes))
        unique.sort(key=self.key)
        return unique
