"""One finding type that every validation layer produces and every report consumes."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that would break a report's one-line-per-finding promise, or that XML cannot hold.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def one_line(text: str) -> str:
    """``text`` with every control character (and line separator) shown as an escape, so that
    a file name or message is one line in every report and legal in XML."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    layer: str  # wellformed, relaxng, xsd, schematron, tei-schematron, profile, association
    rule: str  # a short rule id: "xml", "tei_all", "profile.correspondents", ...
    message: str
    xpath: str = ""
    url: str = ""  # more about the rule or element, e.g. its page in the TEI Guidelines

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(self.message.strip()))

    def text(self) -> str:
        where = f"{one_line(self.file)}:{self.line}:{self.column}"
        more = f" <{self.url}>" if self.url else ""
        return f"{where}: {self.severity}: {self.message} [{self.rule}]{more}"
