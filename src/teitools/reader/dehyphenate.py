"""Line-end hyphenation: join a word the line break split, keep a hyphen that belongs to it.

Decided with the word list and the letter's own words, never by guess:

1. if the letter elsewhere writes the hyphenated form ("non-aligned"), keep the hyphen;
2. if it elsewhere writes the joined form, join;
3. after a prefix that keeps its hyphen (rules: ``keep_hyphen_prefixes``), keep it;
4. if the joined form is a known word ("beclouding", "substantially"), join;
5. if the part after the break is no word on its own ("Russe-/lls"), join: a fragment;
6. otherwise ("ground-/launched", unknown words) keep the text as it stands.

Either way the source keeps its hyphen and line break; only the regularised reading changes.
"""

from __future__ import annotations

import re

from teitools.model import Hyphenation, Inline, LineBreak, Text
from teitools.reader.lexicon import Lexicon
from teitools.rules import Rules

_TAIL = re.compile(r"(?<![-\w])([^\W\d_]+)-$")
_HEAD = re.compile(r"^([^\W\d_]+)")


def joins(before: str, after: str, vocabulary: set[str], lexicon: Lexicon, rules: Rules) -> bool:
    """True if the hyphen only splits the word, False if it belongs to the word."""
    hyphenated, joined = f"{before}-{after}".lower(), f"{before}{after}".lower()
    if hyphenated in vocabulary:
        return False
    if joined in vocabulary:
        return True
    if before.lower() in rules.keep_hyphen_prefixes:
        return False
    return lexicon.is_word(joined) or (after.islower() and not lexicon.is_word(after))


def dehyphenate(
    content: list[Inline], vocabulary: set[str], lexicon: Lexicon, rules: Rules
) -> list[Inline]:
    """Replace ``Text("… be-"), LineBreak(), Text("clouding …")`` by a :class:`Hyphenation`."""
    items = list(content)
    result: list[Inline] = []
    i = 0
    while i < len(items):
        node = items[i]
        if (
            isinstance(node, Text)
            and i + 2 < len(items)
            and isinstance(items[i + 1], LineBreak)
            and isinstance(following := items[i + 2], Text)
            and (tail := _TAIL.search(node.text))
            and (head := _HEAD.match(following.text))
        ):
            before, after = tail.group(1), head.group(1)
            if tail.start():
                result.append(Text(node.text[: tail.start()]))
            result.append(
                Hyphenation(before, after, joins(before, after, vocabulary, lexicon, rules))
            )
            items[i + 2] = Text(following.text[head.end() :])
            i += 2
            continue
        if not (isinstance(node, Text) and not node.text):
            result.append(node)
        i += 1
    return result
