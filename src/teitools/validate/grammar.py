"""A project's own RELAX NG schema, read safely and compiled within a time limit.

:func:`load` reads an ``.rng`` (or ``.rng.gz``) or converts an ``.rnc`` (compact syntax,
with rnc2rng), and inlines its ``include``s and ``externalRef``s itself, from files inside
the project only: an address or a file elsewhere is refused with a one-line reason, never
fetched. :func:`compile_within` compiles the result with libxml2 in a forked child first,
since some ODD-generated grammars make libxml2 compile for hours: a grammar that does not
compile within the limit never hangs the run; the matcher decides its documents
(:mod:`~teitools.validate.matcher`), and jing (if installed) explains the invalid ones.
The verdict for a grammar (its bytes) is kept in the authenticated cache.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from functools import cache
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.errors import TeitoolsError
from teitools.validate import cache as disk_cache
from teitools.validate import expectations, matcher, parsing
from teitools.validate.project import inside

RNG_NS = "http://relaxng.org/ns/structure/1.0"
RNG = f"{{{RNG_NS}}}"
COMPILE_LIMIT = 20.0  # seconds libxml2 may take to compile a grammar
JING_LIMIT = 120.0  # seconds jing may take for one document
MAX_PARTS = 256  # files one grammar may be made of


def _read(path: Path) -> etree._Element:
    try:
        data = parsing.read_limited(path)
    except OSError as error:
        raise TeitoolsError(f"cannot read the schema {path.name}: {error}") from error
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise TeitoolsError(f"{path.name} is not gzip: {error}") from error
    if path.suffix == ".rnc":
        import rnc2rng

        try:
            data = rnc2rng.dumps(rnc2rng.loads(data.decode("utf-8"))).encode()
        except Exception as error:  # rnc2rng raises its parser's own errors
            reason = " ".join(str(error).split())[:200] or type(error).__name__
            raise TeitoolsError(f"{path.name} is not RELAX NG compact syntax: {reason}") from error
    if safexml.entity_problems(data):
        raise TeitoolsError(f"{path.name}: entity declarations refused")
    try:
        root = etree.fromstring(data, safexml.parser())
    except etree.XMLSyntaxError as error:
        raise TeitoolsError(f"{path.name} is not XML: {error.msg}") from error
    if etree.QName(root).namespace != RNG_NS:
        raise TeitoolsError(f"{path.name} is not a RELAX NG schema (root {root.tag})")
    return root


def _inherit(part: etree._Element, reference: etree._Element) -> None:
    """Give an inlined part the ``ns`` and ``datatypeLibrary`` its reference inherits."""
    for name in ("ns", "datatypeLibrary"):
        if part.get(name) is None:
            for node in (reference, *reference.iterancestors()):
                if node.get(name) is not None:
                    part.set(name, node.get(name, ""))
                    break


def _inline(root: etree._Element, here: Path, project: Path | None, seen: list[Path]) -> None:
    for reference in list(root.iter(f"{RNG}include", f"{RNG}externalRef")):
        href = (reference.get("href") or "").strip()
        kind = etree.QName(reference).localname
        if re.match(r"^[A-Za-z][\w+.-]*:", href):
            raise TeitoolsError(
                f"{kind} of {href} not fetched (only files in the project are read)"
            )
        target = (here.parent / href).resolve()
        if project is not None and not inside(target, project):
            raise TeitoolsError(f"{kind} of {href} not read: outside the project")
        if (target in seen[-32:] and kind == "externalRef") or len(seen) > MAX_PARTS:
            raise TeitoolsError(f"{kind} of {href}: the schema refers to itself")
        part = _read(target)
        seen.append(target)
        _inline(part, target, project, seen)
        _inherit(part, reference)
        parent = reference.getparent()
        assert parent is not None
        if kind == "externalRef":
            parent.replace(reference, part)
            continue
        if etree.QName(part).localname != "grammar":
            raise TeitoolsError(f"include of {href}: not a grammar")
        overridden = {d.get("name") for d in reference.iter(f"{RNG}define")}
        replaces_start = reference.find(f".//{RNG}start") is not None
        division = etree.Element(f"{RNG}div", dict(part.attrib))
        for child in part:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{RNG}start" and replaces_start:
                continue
            if child.tag == f"{RNG}define" and child.get("name") in overridden:
                continue
            division.append(child)
        for child in reference:
            division.append(child)
        parent.replace(reference, division)


def load(
    path: Path, project: Path | None = None, parts: list[Path] | None = None
) -> etree._Element:
    """The grammar at ``path`` as one tree, its includes inlined (inside ``project``);
    ``parts`` receives every file it was made of."""
    root = _read(path)
    seen = [path.resolve()]
    _inline(root, path.resolve(), project, seen)
    if parts is not None:
        parts.extend(seen)
    return root


def _compiles_in_child(data: bytes, limit: float) -> str | None:
    """Compile ``data`` in a forked child: None if it compiles within ``limit`` seconds, else
    why not (a message)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compile, report, exit without running any Python cleanup
        os.close(read_end)
        status = b""
        try:
            etree.RelaxNG(etree.fromstring(data, safexml.parser()))
        except Exception as error:
            status = (" ".join(str(error).split())[:300] or type(error).__name__).encode()
        os.write(write_end, status or b"OK")
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return f"libxml2 does not compile it within {limit:g} s"
        answer = os.read(read_end, 4096).decode(errors="replace")
    finally:
        os.close(read_end)
    return None if answer == "OK" else f"libxml2 cannot compile it: {answer}"


class Grammar:
    """A grammar ready to check documents: the matcher, with libxml2 where it compiles in time,
    else with jing."""

    def __init__(self, path: Path, project: Path | None, limit: float | None = None) -> None:
        limit = COMPILE_LIMIT if limit is None else limit
        self.path = path
        self.parts: list[Path] = []  # the files the grammar is made of
        self.text = etree.tostring(load(path, project, self.parts))
        self.libxml2: etree.RelaxNG | None = None
        self.reason = ""
        self._matcher: matcher.Matcher | None = None
        entry = disk_cache.named("rng-compiles", self.text + f"\n{limit}".encode())
        known = disk_cache.read_entry(entry)
        if known is None:
            known = (_compiles_in_child(self.text, limit) or "OK").encode()
            disk_cache.write_entry(entry, known)
        if known == b"OK":
            self.libxml2 = etree.RelaxNG(etree.fromstring(self.text, safexml.parser()))
        else:
            self.reason = known.decode()

    def matcher(self) -> matcher.Matcher:
        """The same grammar, for a linear verdict (:mod:`~teitools.validate.matcher`) and to
        explain its errors (:mod:`~teitools.validate.expectations`)."""
        if self._matcher is None:
            root = etree.fromstring(self.text)
            self._matcher = matcher.Matcher(expectations.Grammar(root), root)
        return self._matcher

    def jing(self, text: str, path: Path) -> list[tuple[int, int, str]]:
        """jing's errors for a document (its safe text): (line, column, message)."""
        jing = shutil.which("jing")
        if jing is None:
            raise TeitoolsError(f"{self.reason}, and jing is not installed to check it instead")
        with tempfile.TemporaryDirectory(prefix="teitools-jing-") as folder:
            schema, document = Path(folder) / "schema.rng", Path(folder) / "document.xml"
            schema.write_bytes(self.text)
            document.write_text(text, encoding="utf-8")
            try:
                done = subprocess.run(
                    [jing, str(schema), str(document)],
                    capture_output=True,
                    text=True,
                    timeout=JING_LIMIT,
                    check=False,
                )
            except subprocess.TimeoutExpired as error:
                raise TeitoolsError(f"jing took longer than {JING_LIMIT:g} s") from error
        errors = []
        for line in done.stdout.splitlines():
            match = re.match(r"^.*?:(\d+):(\d+): (?:error|fatal): (.*)$", line)
            if match:
                errors.append((int(match[1]), int(match[2]), match[3]))
        if done.returncode and not errors:
            raise TeitoolsError(f"jing failed: {done.stderr.strip()[:200]}")
        return errors


@cache
def grammar(
    path: Path, project: Path | None, stamp: tuple[int, int] = (0, 0)
) -> Grammar | TeitoolsError:
    """The grammar of ``path``, once per process and version of the file (``stamp``: its
    modification time and size), or why it cannot be used."""
    try:
        return Grammar(path, project)
    except TeitoolsError as error:
        return error
