"""Every check of one file, in one place, so that a worker process runs exactly what a serial
run does: parse safely, expand XInclude, the schemas the file names (or ``tei_all``), TEI's
own Schematron rules, the letter profile where it applies, and what the rules across files
need. Whatever goes wrong with one file (a schema that does not compile, an engine's error,
even a bug of ours) is a finding of that file: the batch goes on."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from teitools.errors import TeitoolsError
from teitools.namespaces import NS
from teitools.registers import REGISTER_FILE
from teitools.safexml import saxon_text
from teitools.validate import (
    association,
    grammar,
    matcher,
    parsing,
    profile,
    project,
    relaxng,
    saxon,
    schematron,
    tei_rules,
    xinclude,
)
from teitools.validate import xsd as xsd_layer
from teitools.validate.association import Schema
from teitools.validate.findings import Finding

if TYPE_CHECKING:  # imported only where asked for: it loads elementpath
    from teitools.validate.sch_python import PythonRules

PROFILES = ("letter",)


@dataclass(frozen=True)
class Options:
    """What to check besides well-formedness, the declared schemas (or tei_all) and TEI's
    rules: the defaults are TEI conformance."""

    schemas: tuple[Path, ...] = ()  # --schema: added; an .rng/.rnc/.xsd replaces tei_all
    xsd: bool = False  # also the trang XSD of tei_all
    tei_rules: bool = True  # TEI's own Schematron rules
    profile: str | None = None  # "letter": the letter profile for every file
    across_files: bool = False  # xml:ids unique in the corpus, pointers into register.xml
    max_size: int = parsing.MAX_SIZE
    project: Path | None = None  # the project's folder (default: found per file)
    # "python": a schema's Schematron checked in Python where sch_python compiles all of it
    schematron_engine: str = "saxon"


@dataclass
class FileResult:
    """One file's findings, its ``xml:id``s (for the check across files), and the other
    files its result depends on (schemas, included files, the register)."""

    findings: list[Finding] = field(default_factory=list)
    ids: list[profile.IdUse] = field(default_factory=list)
    depends: list[str] = field(default_factory=list)


def _finding(path: Path, line: int, severity: str, layer: str, rule: str, text: str) -> Finding:
    return Finding(str(path), line, 1, severity, layer, rule, text)


class Checker:
    """Checks files one at a time; remembers each folder's ``register.xml`` ids."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.registers: dict[Path, set[str] | None] = {}
        self.tei_all = relaxng.TeiAll()
        self.depends: list[str] = []  # the files the current file's result depends on

    def warm(self) -> None:
        """Load what most files need, once per process and before the first file, without
        starting Saxon (whose runtime a fork would break): TEI's rules, and unless a
        ``--schema`` grammar replaces it, ``tei_all``'s matcher with the XSD datatypes."""
        if self.options.tei_rules:
            tei_rules.rules(schematron.TEI_SCH)
        kinds = {association.kind_of(str(schema)) for schema in self.options.schemas}
        if not kinds & set(association.GRAMMARS):
            matcher.tei_all().warm()

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
        """Every finding of one file; never raises for anything the file holds."""
        try:
            return self._check(path)
        except (TeitoolsError, OSError, etree.LxmlError, ValueError, RecursionError) as error:
            message = f"not checked: {' '.join(str(error).split()) or type(error).__name__}"
            return FileResult([_finding(path, 1, "error", "teitools", "internal", message)])
        except MemoryError:
            message = "not checked: out of memory (see --max-size)"
            return FileResult([_finding(path, 1, "error", "teitools", "internal", message)])
        except Exception as error:  # a bug of ours must not take the batch with it
            where = traceback.extract_tb(error.__traceback__)[-1]
            message = (
                f"internal error: {type(error).__name__}: {error} ({where.name}:{where.lineno})"
            )
            return FileResult([_finding(path, 1, "error", "teitools", "internal", message)])

    def _check(self, path: Path) -> FileResult:
        options = self.options
        try:
            data = parsing.read_limited(path, options.max_size)
        except parsing.TooLarge as error:
            message = f"not checked: {error} (--max-size)"
            return FileResult([_finding(path, 1, "error", "wellformed", "size", message)])
        except OSError as error:
            message = f"cannot read: {error.strerror or error}"
            return FileResult([_finding(path, 1, "error", "wellformed", "io", message)])
        tree, problems = parsing.parse_bytes(path, data)
        result = FileResult(problems)
        self.depends = result.depends
        if tree is None:
            return result
        found = result.findings
        home = project.root(path, options.project)
        included, read = xinclude.expand(tree, path, home, options.max_size)
        found.extend(included)
        result.depends.extend(str(p) for p in sorted(read))
        declared = association.declared(tree, path, home)
        chosen = [
            Schema(association.kind_of(str(s)) or "rng", s.resolve(), s.name)
            for s in options.schemas
        ] + declared.schemas
        result.depends.extend(str(s.path) for s in chosen if s.path is not None)
        grammars = [s for s in chosen if s.kind in (*association.GRAMMARS, "tei_all")]
        for line, message, names_grammar in declared.warnings:
            if names_grammar and not grammars:
                message += "; checked against tei_all instead"
            found.append(_finding(path, line, "warning", "association", "xml-model", message))
        for schema in grammars or [Schema("tei_all", None, "tei_all")]:
            found.extend(self._grammar(schema, tree, data, path, home))
        if options.xsd:
            found.extend(xsd_layer.check(tree, path))
        letter = options.profile == "letter" or declared.profile
        rules: list[tuple[Schema, bool]] = [
            (s, s.kind == "sch-in-rng") for s in chosen if s.kind in ("sch", "sch-in-rng")
        ]
        found.extend(self._schematron(rules, tree, data, path, home, letter))
        if letter:
            found.extend(profile.check_letter(tree, path))
        if options.across_files:
            register = self._register_ids(path.parent)
            if register is not None:
                result.depends.append(str(path.parent / REGISTER_FILE))
            found.extend(profile.check_register(tree, path, register))
            result.ids = profile.id_uses(tree)
        return result

    def _grammar(
        self, schema: Schema, tree: etree._ElementTree, data: bytes, path: Path, home: Path
    ) -> list[Finding]:
        if schema.kind == "tei_all":
            return self.tei_all.check(tree, path, data)
        assert schema.path is not None
        if schema.kind == "xsd":
            return xsd_layer.check(tree, path, schema.path, schema.label)
        loaded = grammar.grammar(schema.path, home, _stamp(schema.path))
        if isinstance(loaded, TeitoolsError):
            message = f"schema {schema.label} not used: {loaded.message}"
            return [_finding(path, 1, "warning", "association", "xml-model", message)]
        self.depends.extend(str(part) for part in loaded.parts)
        if loaded.libxml2 is not None:
            return relaxng.check_with(
                loaded.libxml2, tree, path, schema.label, loaded.matcher(), data
            )
        if loaded.matcher().valid(tree):
            return []  # decided without jing, which then only explains faults
        try:
            errors = loaded.jing(_text_for_engines(data, tree), path)
        except TeitoolsError as error:
            message = f"schema {schema.label} not used: {error.message}"
            return [_finding(path, 1, "warning", "association", "xml-model", message)]
        return [
            Finding(str(path), line, column, "error", "relaxng", schema.label, message)
            for line, column, message in errors
        ]

    def _schematron(
        self,
        declared: list[tuple[Schema, bool]],
        tree: etree._ElementTree,
        data: bytes,
        path: Path,
        home: Path,
        letter: bool,
    ) -> list[Finding]:
        runs: list[schematron.Rules | PythonRules] = []
        found: list[Finding] = []
        text = partial(_text_for_engines, data, tree)
        if self.options.tei_rules:
            checked, rest = tei_rules.check(tree, path, text, schematron.TEI_SCH)
            found.extend(checked)
            if rest:
                runs.append(schematron.tei_rest())
        if letter:
            runs.append(schematron.profile())
        for schema, in_rng in declared:
            assert schema.path is not None
            compiled = schematron.rules(
                schema.path,
                schema.label,
                "schematron",
                in_rng,
                home,
                _stamp(schema.path),
                self.options.schematron_engine == "python",
            )
            if isinstance(compiled, TeitoolsError):
                message = f"Schematron {schema.label} not run: {compiled.message}"
                found.append(_finding(path, 1, "warning", "association", "xml-model", message))
                continue
            for skipped in compiled.skipped:
                message = (
                    f"Schematron {schema.label}: {skipped} not run: other documents are never read"
                )
                found.append(_finding(path, 1, "warning", "schematron", schema.label, message))
            runs.append(compiled)
        document: Any = None
        if any(isinstance(rules, schematron.Rules) for rules in runs):
            from saxonche import PySaxonApiError

            try:
                document = saxon.parse(text())
            except (PySaxonApiError, UnicodeDecodeError) as error:
                message = f"Saxon cannot read it: {' '.join(str(error).split())[:200]}"
                return [*found, _finding(path, 1, "error", "schematron", "saxon", message)]
        for rules in runs:
            if isinstance(rules, schematron.Rules):
                found.extend(rules.check(document, path))
            else:
                found.extend(rules.check(tree, path, text))
        return found


def _stamp(path: Path) -> tuple[int, int]:
    """A schema file's version, as far as a process needs to know: its mtime and size."""
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


def _text_for_engines(data: bytes, tree: etree._ElementTree) -> str:
    """The document as another engine (Saxon, jing) must see it: the file's own text with
    its DOCTYPE blanked (so lines stay), or, where entities or XInclude changed the tree,
    the tree itself."""
    subset = tree.docinfo.internalDTD
    entities = subset is not None and any(True for _ in subset.iterentities())
    if entities or xinclude.XI_NS.encode() in data:
        text: str = etree.tostring(tree.getroot(), encoding="unicode")  # no DOCTYPE
        return text
    return saxon_text(data, tree)
