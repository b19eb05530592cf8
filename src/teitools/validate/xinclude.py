"""XInclude, expanded safely: only files inside the project, never an address.

``<xi:include href="part.xml"/>`` is replaced by the root of ``part.xml`` (or the element
a bare-name or ``element()`` ``xpointer`` names); ``parse="text"`` by the file's text. An
include of an address or of a file outside the project is never read: it is reported as a
warning and left out. A missing file falls back to ``xi:fallback`` or is an error. Included
files are parsed as safely as the document itself; nesting is followed to 16 levels, a loop
is an error, and all included bytes together stay under the size limit. Elements that come
from another file carry the line of their ``xi:include``, so findings point at it.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from lxml import etree

from teitools.namespaces import XML_ID
from teitools.validate import parsing
from teitools.validate.findings import Finding
from teitools.validate.project import inside

XI_NS = "http://www.w3.org/2001/XInclude"
XI = f"{{{XI_NS}}}"
MAX_DEPTH = 16
_ELEMENT_SCHEME = re.compile(r"^element\(([^)]*)\)$")
_ID_SCHEME = re.compile(r"""^xpointer\(id\(['"]([^'"]+)['"]\)\)$""")


class _Expansion:
    def __init__(self, path: Path, project: Path, limit: int) -> None:
        self.path, self.project, self.budget = path, project, limit
        self.findings: list[Finding] = []
        self.read: set[Path] = set()  # every file read: the result depends on it

    def note(self, include: etree._Element, severity: str, message: str) -> None:
        line = include.sourceline or 1
        self.findings.append(
            Finding(str(self.path), line, 1, severity, "xinclude", "xinclude", message)
        )

    def expand(self, root: etree._Element, here: Path, stack: tuple[Path, ...]) -> None:
        for include in list(root.iter(f"{XI}include")):
            if include.getparent() is None and include is root:
                continue
            self.replace(include, self.content(include, here, stack))

    def replace(self, include: etree._Element, content: list[etree._Element] | str | None) -> None:
        parent = include.getparent()
        if parent is None:
            return
        tail = include.tail or ""
        if isinstance(content, str) or content is None:
            text = (content or "") + tail
            previous = include.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + text
            else:
                parent.text = (parent.text or "") + text
            parent.remove(include)
            return
        index = parent.index(include)
        parent.remove(include)
        for offset, element in enumerate(content):
            parent.insert(index + offset, element)
        if content:
            content[-1].tail = (content[-1].tail or "") + tail
        else:
            self.replace_text(parent, index, tail)

    @staticmethod
    def replace_text(parent: etree._Element, index: int, text: str) -> None:
        if index > 0:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def fallback(self, include: etree._Element, message: str) -> list[etree._Element] | None:
        fallback = include.find(f"{XI}fallback")
        if fallback is None:
            self.note(include, "error", message)
            return None
        return [copy.deepcopy(child) for child in fallback]

    def content(
        self, include: etree._Element, here: Path, stack: tuple[Path, ...]
    ) -> list[etree._Element] | str | None:
        href = (include.get("href") or "").strip()
        if not href or href.startswith("#"):
            self.note(include, "warning", "an include of the document itself is not expanded")
            return None
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href):
            self.note(include, "warning", f"not read: {href} (only files in the project are)")
            return None
        target = (here.parent / href).resolve()
        if not inside(target, self.project):
            self.note(include, "warning", f"not read: {href} is outside the project")
            return None
        if target in stack:
            self.note(include, "error", f"{href} includes itself")
            return None
        if len(stack) > MAX_DEPTH:
            self.note(include, "error", f"includes nested more than {MAX_DEPTH} deep")
            return None
        try:
            data = parsing.read_limited(target, self.budget)
        except parsing.TooLarge as error:
            self.note(include, "error", f"{href} not included: {error}")
            return None
        except OSError as error:
            return self.fallback(include, f"{href} cannot be read: {error.strerror or error}")
        self.budget -= len(data)
        self.read.add(target)
        if include.get("parse") == "text":
            encoding = include.get("encoding") or "utf-8"
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError) as error:
                return self.fallback(include, f"{href} is not {encoding} text: {error}")
        tree, problems = parsing.parse_bytes(target, data)
        if tree is None:
            reason = problems[0].message if problems else "not XML"
            return self.fallback(include, f"{href} is not well-formed: {reason}")
        self.expand(tree.getroot(), target, (*stack, target))
        chosen = self.select(tree.getroot(), include.get("xpointer"))
        if chosen is None:
            self.note(include, "error", f"{href}: xpointer {include.get('xpointer')!r} not found")
            return None
        line = include.sourceline
        chosen = copy.deepcopy(chosen)
        for element in chosen.iter():
            element.sourceline = line
        return [chosen]

    @staticmethod
    def select(root: etree._Element, pointer: str | None) -> etree._Element | None:
        """The element ``pointer`` names: a bare name (an ``xml:id``), ``xpointer(id('x'))``,
        or ``element(x/1/2)``; the root when there is none."""
        if not pointer:
            return root
        pointer = pointer.strip()
        by_id = _ID_SCHEME.match(pointer)
        scheme = _ELEMENT_SCHEME.match(pointer)
        steps = scheme.group(1).split("/") if scheme else [pointer if not by_id else by_id[1]]
        node: etree._Element | None = None
        first, rest = steps[0], steps[1:]
        if first:
            node = next((e for e in root.iter() if e.get(XML_ID) == first), None)
        else:
            node = root.getroottree().getroot()
            rest = rest[1:] if rest and rest[0] == "1" else ["0"]
        for step in rest:
            children = [c for c in node if isinstance(c.tag, str)] if node is not None else []
            index = int(step) - 1 if step.isdigit() else -1
            node = children[index] if 0 <= index < len(children) else None
        return node


def expand(
    tree: etree._ElementTree, path: Path, project: Path, limit: int = parsing.MAX_SIZE
) -> tuple[list[Finding], set[Path]]:
    """Expand the XIncludes of ``tree`` (read from ``path``) in place: the findings, and the
    files read (the result depends on them)."""
    root = tree.getroot()
    if not any(True for _ in root.iter(f"{XI}include")):
        return [], set()
    expansion = _Expansion(path, project, limit)
    expansion.expand(root, path.resolve(), (path.resolve(),))
    return expansion.findings, expansion.read
