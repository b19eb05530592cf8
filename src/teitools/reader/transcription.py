"""Transcribers' marks typed into the text: "[illegible]", "[…]", "[?]", "[word?]", "[word]".

Each becomes a :class:`~teitools.model.Transcribed` node: the writer keeps the mark as typed
(``orig``) beside what it means (``reg``: a ``gap``, an ``unclear`` or a ``supplied`` word),
so nothing of the source is lost. The patterns are rules data (``transcription``).
"""

from __future__ import annotations

import re
from functools import cache

from teitools.model import Inline, Text, Transcribed
from teitools.rules import Rules

ORDER = ("illegible", "omitted", "doubtful", "conjecture", "supplied")


@cache
def _pattern(rules: Rules) -> re.Pattern[str] | None:
    parts = [
        f"(?P<{kind}>{rules.transcription[kind].pattern.replace('(?P<word>', '(?:')})"
        for kind in ORDER
        if kind in rules.transcription
    ]
    return re.compile("|".join(parts)) if parts else None


def transcribed(content: list[Inline], rules: Rules) -> list[Inline]:
    """Split text nodes around transcribers' marks."""
    if not any(isinstance(n, Text) and "[" in n.text for n in content):
        return content
    pattern = _pattern(rules)
    if pattern is None:
        return content
    result: list[Inline] = []
    for node in content:
        if not isinstance(node, Text) or "[" not in node.text:
            result.append(node)
            continue
        last = 0
        for match in pattern.finditer(node.text):
            kind = next(k for k in ORDER if match.groupdict().get(k))
            word_match = rules.transcription[kind].fullmatch(match.group())
            word = (word_match.groupdict().get("word") or "") if word_match else ""
            if match.start() > last:
                result.append(Text(node.text[last : match.start()]))
            result.append(Transcribed(match.group(), kind, word))
            last = match.end()
        if last < len(node.text):
            result.append(Text(node.text[last:]))
    return result
