"""Safe YAML: the one loader every data file teitools reads (rules, registers, catalogues)
goes through.

YAML's aliases let a few hundred bytes stand for billions of values (``&a [*b, *b, ...]``
nested ten deep), and deep nesting exhausts Python's recursion. Before anything is built,
the document's events are counted: the values it holds with every alias expanded, and how
deep its collections nest. Past :data:`MAX_VALUES` or :data:`MAX_DEPTH` the file is refused
with a one-line error, so no later step (``str()`` of a value, a walk over it) can blow up.
Only plain YAML types are built (the safe loader: no Python objects), with libyaml where
PyYAML has it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml

from teitools.errors import TeitoolsError

MAX_VALUES = 1_000_000  # scalars and collections, aliases expanded: far past any register
MAX_DEPTH = 64  # nested collections: our data files nest four or five deep

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _TextDatesLoader(_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, with dates left as the text they are written in."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _LOADER.yaml_implicit_resolvers.items()
    }


def _line(mark: object) -> int | None:
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else None


def _check(text: str) -> tuple[str, int | None] | None:
    """Why ``text`` may not be built (too many values, too deep, recursive), and where."""
    sizes: dict[str, int] = {}  # anchor → values it stands for
    open_anchors: list[str | None] = []
    starts: list[int] = []  # values counted when each open collection began
    total = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                return f"alias *{event.anchor} refers to itself", _line(event.start_mark)
            total += sizes.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(starts) >= MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} deep", _line(event.start_mark)
            open_anchors.append(event.anchor)
            starts.append(total)
            total += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = open_anchors.pop(), starts.pop()
            if anchor is not None:
                sizes[anchor] = total - start
        if total > MAX_VALUES:
            message = f"more than {MAX_VALUES:,} values once its aliases are expanded"
            return message, _line(event.start_mark)
    return None


def load_yaml(
    text: str,
    where: str,
    error: type[TeitoolsError] = TeitoolsError,
    *,
    text_dates: bool = False,
) -> Any:
    """The plain data (dicts, lists, strings, numbers, dates) of the YAML ``text``.

    Raises ``error`` (naming ``where``, a file name, and the line) for text that is not
    YAML, or that expands past :data:`MAX_VALUES` values or nests past :data:`MAX_DEPTH`.
    With ``text_dates``, ``1985-02-30`` is the text it is, for the caller to check, not a
    date YAML builds (or fails to build, naming no line).
    """
    try:
        refused = _check(text)
        if refused is None:
            # a safe loader: plain data only
            return yaml.load(text, Loader=_TextDatesLoader if text_dates else _LOADER)
        message, line = refused
        raise error(f"refused: {message}", where, line)
    except yaml.MarkedYAMLError as failure:
        reason = failure.problem or failure.context or "malformed"
        raise error(f"not valid YAML: {reason}", where, _line(failure.problem_mark)) from None
    except yaml.YAMLError as failure:
        raise error(f"not valid YAML: {str(failure).splitlines()[0]}", where) from None
    except (ValueError, TypeError, OverflowError) as failure:  # a value built from the text
        raise error(f"not valid YAML: {failure}", where) from None


def item_lines(text: str) -> list[int]:
    """The line each item of the top-level list of ``text`` starts on (``text`` has been
    loaded by :func:`load_yaml`, so it is bounded; nothing is built)."""
    node = yaml.compose(text, Loader=_LOADER)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]
