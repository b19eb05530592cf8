"""Where a finding is, as an XPath: the path lxml's ``getpath`` gives (libxml2's
``xmlGetNodePath``), in time linear in the document.

``getpath`` counts an element's siblings afresh on every call, so the paths of many elements
under one parent (a finding in every 20th paragraph of one long division) took time quadratic
in the siblings: 27 CPU seconds for a 16 MB letter, 8.5 with :class:`Paths`, which counts
each parent's children once.
"""

from __future__ import annotations

from lxml import etree


class Paths:
    """``tree.getpath(element)`` for the elements of one tree, each parent's children
    counted once. libxml2's rules: an element in a default namespace is ``*``, numbered among
    all its sibling elements; any other by its (prefixed) name, numbered among the siblings of
    that name and prefix; the number is left out when it is the only one."""

    def __init__(self) -> None:
        self._steps: dict[etree._Element, str] = {}

    def __call__(self, element: etree._Element) -> str:
        steps = []
        node: etree._Element | None = element
        while node is not None:
            parent = node.getparent()
            if node not in self._steps:
                self._count(node, parent)
            steps.append(self._steps[node])
            node = parent
        return "/" + "/".join(reversed(steps))

    def _count(self, node: etree._Element, parent: etree._Element | None) -> None:
        if parent is None:
            self._steps[node] = _name(node)
            return
        children = [child for child in parent if isinstance(child.tag, str)]
        keys = [_key(child) for child in children]
        totals: dict[tuple[str, str | None] | None, int] = {}
        for key in keys:
            totals[key] = totals.get(key, 0) + 1
        seen: dict[tuple[str, str | None] | None, int] = {}
        for index, (child, key) in enumerate(zip(children, keys, strict=True)):
            if key is None:  # any sibling element counts
                before, total = index, len(children)
            else:
                before, total = seen.get(key, 0), totals[key]
                seen[key] = before + 1
            name = _name(child)
            self._steps[child] = f"{name}[{before + 1}]" if total > 1 else name


def _key(element: etree._Element) -> tuple[str, str | None] | None:
    """The siblings an element is numbered among: None for all of them (an element in a
    default namespace), else its local name and prefix."""
    tag, prefix = element.tag, element.prefix
    if tag[0] != "{":  # no namespace (read from the tag: a QName costs more than the rest)
        return (tag, prefix)
    return None if prefix is None else (tag.rpartition("}")[2], prefix)


def _name(element: etree._Element) -> str:
    tag, prefix = element.tag, element.prefix
    if tag[0] != "{":
        return str(tag)
    return "*" if prefix is None else f"{prefix}:{tag.rpartition('}')[2]}"
