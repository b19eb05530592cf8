"""One finding type that every validation layer produces and every report consumes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    layer: str  # wellformed, relaxng, profile
    rule: str  # a short rule id: "xml", "tei_all", "profile.correspondents", ...
    message: str
    xpath: str = ""

    def text(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"
        )
