"""Regular expressions from data files (rules, registers) that cannot hang the converter.

A pattern such as ``^(a|a)*$`` takes time exponential in the text with a backtracking
engine, and Python's ``re`` cannot be interrupted. Patterns from data run on the ``regex``
engine instead: the same syntax and Unicode semantics as ``re`` (``\\w`` and ``\\b`` know
"ü" and "Я"), with a deadline on every match. Two guards:

- when a rules file is loaded, :func:`compile_pattern` runs each pattern on hostile probe
  texts and refuses one that backtracks on them (a one-line error naming the rule);
- at run time, every call gets a deadline in proportion to the text, and one that runs
  over raises :class:`PatternTimeout` naming the rule, which fails that file alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import suppress
from itertools import pairwise
from typing import Any

import regex

from teitools.errors import RulesError, TeitoolsError

Match = regex.Match[str]

# Deadlines are in seconds of CPU time (``regex`` counts them so), not of a loaded clock.
TIMEOUT_BASE = 1.0  # for one call of one pattern ...
TIMEOUT_PER_CHAR = 2e-6  # ... and this per character of the text (a linear pattern: ~0.05 µs)
PROBE_LENGTH = 2_000  # characters of each probe text
PROBE_TIMEOUT = 0.1  # a linear pattern reads a probe in well under a millisecond
_PROBE_CHARS = "aA1 .-'é"  # a letter of each case, a digit, a space, punctuation, a non-ASCII
_PROBE_OWN = 8  # and up to this many of the pattern's own letters and digits


class PatternTimeout(TeitoolsError):
    """A rule's pattern ran past its deadline on a text."""


def _deadline(string: str) -> float:
    return TIMEOUT_BASE + TIMEOUT_PER_CHAR * len(string)


class Pattern:
    """A compiled pattern of a rule: ``re``'s interface, every call under a deadline."""

    __slots__ = ("_compiled", "origin", "rule")

    def __init__(self, source: str, rule: str, origin: str, flags: int = 0):
        self._compiled: regex.Pattern[str] = regex.compile(source, flags | regex.VERSION0)
        self.rule = rule  # "furniture 'registry'", for messages
        self.origin = origin  # the file it was read from

    @property
    def pattern(self) -> str:
        return self._compiled.pattern

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self._compiled.groupindex)

    def _timed_out(self, string: str) -> PatternTimeout:
        return PatternTimeout(
            f"rule {self.rule} of {self.origin}: its pattern {_short(self.pattern)} ran over "
            f"{_deadline(string):.1f} s on a text of {len(string):,} characters "
            "(it backtracks: simplify it)"
        )

    # Each method is written out (no shared helper): they run hundreds of thousands of
    # times on a long letter, and a call with a deadline costs microseconds as it is.
    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        try:
            return self._compiled.search(string, pos, endpos, timeout=_deadline(string))
        except TimeoutError:
            raise self._timed_out(string) from None

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        try:
            return self._compiled.match(string, pos, endpos, timeout=_deadline(string))
        except TimeoutError:
            raise self._timed_out(string) from None

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> Match | None:
        try:
            return self._compiled.fullmatch(string, pos, endpos, timeout=_deadline(string))
        except TimeoutError:
            raise self._timed_out(string) from None

    def finditer(self, string: str) -> Iterator[Match]:
        scanner = self._compiled.finditer(string, timeout=_deadline(string))
        try:
            yield from scanner
        except TimeoutError:
            raise self._timed_out(string) from None

    def findall(self, string: str) -> list[Any]:
        try:
            return self._compiled.findall(string, timeout=_deadline(string))
        except TimeoutError:
            raise self._timed_out(string) from None

    def sub(self, replacement: str, string: str, count: int = 0) -> str:
        try:
            return self._compiled.sub(replacement, string, count, timeout=_deadline(string))
        except TimeoutError:
            raise self._timed_out(string) from None

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        try:
            return self._compiled.split(string, maxsplit, timeout=_deadline(string))
        except TimeoutError:
            raise self._timed_out(string) from None

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r}, rule={self.rule!r}, origin={self.origin!r})"


class Screen:
    """One pattern standing for several (a rule list's), to rule most texts out with one
    search instead of one per pattern: :meth:`search` is False only where no pattern's
    ``search`` finds anything in the text, :meth:`match` only where no pattern's ``match``
    does. It runs under the same deadline; where it runs over, it answers True and the
    patterns themselves decide (and the one that backtracks is named)."""

    __slots__ = ("_compiled",)

    def __init__(self, patterns: Iterable[Pattern]):
        self._compiled: regex.Pattern[str] | None = None
        sources = [_scoped(p.pattern) for p in patterns]
        if sources and None not in sources:
            # an alternation of patterns that each mean the same alone and in it; where it
            # cannot be compiled, there is no screen and every text is let through
            with suppress(regex.error, OverflowError, RecursionError):
                self._compiled = regex.compile(
                    "|".join(f"(?:{s})" for s in sources), regex.VERSION0
                )

    def search(self, string: str) -> bool:
        if self._compiled is None:
            return True
        try:
            found = self._compiled.search(string, timeout=_deadline(string))
        except TimeoutError:
            return True
        return found is not None

    def match(self, string: str) -> bool:
        if self._compiled is None:
            return True
        try:
            found = self._compiled.match(string, timeout=_deadline(string))
        except TimeoutError:
            return True
        return found is not None


_LEADING_FLAGS = re.compile(r"\(\?([ims]+)\)")
# what may follow "(?" in a pattern that means the same inside an alternation: a group,
# a lookaround, a named group, flags scoped to a group (not global flags, conditionals,
# recursion; and no back-reference, whose number would change)
_GROUP = re.compile(r"\(\?(?![:=!]|<[=!]|P<|[imsx-]+:)|\\[1-9g]")


def _scoped(source: str) -> str | None:
    """``source`` as a part of an alternation, its leading global flags ("(?i)") scoped to
    it; None if it might mean something else there."""
    leading = _LEADING_FLAGS.match(source)
    if leading:
        source = f"(?{leading.group(1)}:{source[leading.end() :]})"
    return None if _GROUP.search(source) else source


def _short(pattern: str) -> str:
    return repr(pattern if len(pattern) <= 60 else pattern[:57] + "...")


def _probes(source: str) -> Iterator[str]:
    """Texts on which a backtracking pattern shows itself: long runs of one character (of
    each kind, and of the pattern's own letters) or of two alternating, each alone and
    followed by a character that spoils the match and then the pattern's own characters
    (so that a literal the pattern needs is there, and the engine cannot give up early)."""
    own = list(dict.fromkeys(c for c in source if c.isalnum()))[:_PROBE_OWN]
    tail = "\x00" + "".join(dict.fromkeys(c for c in source if not c.isspace()))
    runs = [*dict.fromkeys([*_PROBE_CHARS, *own]), "a1 ", *map("".join, pairwise(own))]
    for run in runs:
        text = (run * (PROBE_LENGTH // len(run) + 1))[:PROBE_LENGTH]
        yield text
        yield text + tail


def compile_pattern(source: str, rule: str, origin: str, *, probe: bool = True) -> Pattern:
    """Compile the pattern of ``rule`` read from the file ``origin``; refuse one that is
    malformed or (with ``probe``) backtracks on a probe text.

    Raises :class:`RulesError` naming ``origin``, with a one-line message naming ``rule``.
    The bundled rules are tested to pass the probes, and need not be probed again.
    """
    try:
        pattern = Pattern(source, rule, origin)
    except (regex.error, TypeError, ValueError, OverflowError) as error:
        message = f"rule {rule}: bad pattern {_short(str(source))}: {error}"
        raise RulesError(message, origin) from None
    for text in _probes(source) if probe else ():
        try:
            pattern._compiled.search(text, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            raise RulesError(
                f"rule {rule}: pattern {_short(source)} backtracks catastrophically "
                f"(over {PROBE_TIMEOUT:g} s on a text of {len(text):,} characters); "
                "simplify it (a repeated group that can match the same text in two ways)",
                origin,
            ) from None
    return pattern
