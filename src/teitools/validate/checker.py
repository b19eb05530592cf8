"""Every check of one file, in one place, so that a worker process runs exactly what a serial
run does: parse safely, the schemas the file asks for, RELAX NG, Schematron, the profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from teitools.registers import REGISTER_FILE
from teitools.validate import parsing, profile, relaxng, schematron
from teitools.validate import tei_rules as tei_schematron
from teitools.validate import xsd as xsd_layer
from teitools.validate.association import associations, kind_of
from teitools.validate.findings import Finding

NS = {"t": "http://www.tei-c.org/ns/1.0"}


@dataclass(frozen=True)
class Options:
    """What to check besides well-formedness, tei_all and the letter profile."""

    schemas: tuple[Path, ...] = ()
    xsd: bool = False
    tei_rules: bool = True


@dataclass
class FileResult:
    """One file's findings and its ``xml:id``s (for the check across files)."""

    findings: list[Finding] = field(default_factory=list)
    ids: list[profile.IdUse] = field(default_factory=list)


def _model_finding(path: Path, message: str, severity: str) -> Finding:
    return Finding(str(path), 1, 1, severity, "association", "xml-model", message)


class Checker:
    """Checks files one at a time; remembers each folder's ``register.xml`` ids."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.registers: dict[Path, set[str] | None] = {}

    def warm(self) -> None:
        """Compile what every file needs (a worker does this once, before its first file)."""
        relaxng.letters()
        schematron.compiled()
        if self.options.tei_rules:
            tei_schematron.compiled()

    def _register_ids(self, folder: Path) -> set[str] | None:
        if folder not in self.registers:
            register = folder / REGISTER_FILE
            ids = None
            if register.exists():
                tree, problems = parsing.parse(register)
                if tree is not None and not problems:
                    ids = set(tree.getroot().xpath("//@xml:id", namespaces=NS))
            self.registers[folder] = ids
        return self.registers[folder]

    def check(self, path: Path) -> FileResult:
        data = path.read_bytes()
        tree, problems = parsing.parse(path, data)
        result = FileResult(problems)
        if tree is None:
            return result
        found = result.findings
        chosen = [(kind_of(str(s)), s) for s in self.options.schemas]
        for link in associations(tree, path, relaxng.TEI_ALL):
            if link.location is None:
                message = f"remote schema not fetched: {link.href}"
                found.append(_model_finding(path, message, "warning"))
            elif not link.location.exists():
                found.append(_model_finding(path, f"schema not found: {link.href}", "error"))
            else:
                chosen.append((link.kind, link.location))
        if not any(kind in ("rng", "xsd") for kind, _ in chosen):
            found.extend(relaxng.check(tree, path))
        for kind, schema in chosen:
            if kind == "rng":
                found.extend(relaxng.check(tree, path, schema))
            elif kind == "xsd":
                found.extend(xsd_layer.check(tree, path, schema))
            elif kind == "sch":
                found.extend(schematron.check(tree, path, schema))
        if self.options.xsd:
            found.extend(xsd_layer.check(tree, path))
        found.extend(schematron.check(tree, path))
        if self.options.tei_rules:
            found.extend(tei_schematron.check(data, tree, path))
        found.extend(profile.check_letter(tree, path, self._register_ids(path.parent)))
        result.ids = profile.id_uses(tree)
        return result
