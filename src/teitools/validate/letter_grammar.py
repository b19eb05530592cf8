"""A letter grammar derived from tei_all: the same RELAX NG, cut down to the elements letters use.

From the simplified ``tei_all`` (one ``define`` per element) it keeps the definitions of the
elements in :data:`LETTER_ELEMENTS`; every reference to another element becomes
``notAllowed``, which then propagates: a choice loses that branch, an ``optional`` or
``zeroOrMore`` becomes ``empty``, a group, interleave or ``oneOrMore`` (and an element whose
required content it was) becomes ``notAllowed`` in turn. Element patterns never sit inside an
``except``, so the result only ever accepts less: a document valid against it is valid against
tei_all. It compiles in well under a tenth of the time, and checks a letter about twenty times
faster. A document it rejects is checked again against tei_all itself (see
:mod:`~teitools.validate.relaxng`), so verdicts and messages are always tei_all's.
"""

from __future__ import annotations

import copy
import gzip
from functools import cache
from pathlib import Path

from lxml import etree

from teitools import safexml
from teitools.errors import TeitoolsError
from teitools.namespaces import TEI_NS

RNG = "{http://relaxng.org/ns/structure/1.0}"

# Every element `teitools convert` (and `collate`) writes (docs/encoding-profile.md). Another
# element in a file is not an error: that file is then checked against the full tei_all,
# only more slowly.
LETTER_ELEMENTS = frozenset(
    """TEI ab add additional additions addrLine address adminInfo appInfo application
    availability bibl birth body change choice citedRange closer collection corr correction
    correspAction correspContext correspDesc date dateline death div editorialDecl encodingDesc
    event fileDesc foreign forename fw gap hyphenation idno item label langUsage language lb
    licence list listEvent listOrg listPerson listPlace msDesc msIdentifier name normalization
    note notesStmt opener org orgName orig p pb persName person physDesc place placeName
    postscript profileDesc ptr publicationStmt publisher ref reg relatedItem repository
    revisionDesc salute seg sic signed sourceDesc state supplied surname teiHeader text title
    titleStmt unclear""".split()
)
RECIPE = "letter-grammar/4"  # with the element names, keys the disk cache


def _kept(define: etree._Element, elements: frozenset[str]) -> bool:
    """Whether ``define`` stays: a TEI element in ``elements``, or any element that is not
    one plain TEI name (another namespace, any name: the content of ``egXML`` and the like)."""
    element = define.find(f"{RNG}element")
    if element is None:
        return False
    if element.get("ns") != TEI_NS or element.get("name") is None:
        return True
    return element.get("name", "") in elements


def _allowed(node: etree._Element, alive: set[str]) -> bool:
    """Whether ``node`` can match anything once only the ``alive`` definitions are left."""
    kind = etree.QName(node).localname
    if kind == "ref":
        return node.get("name") in alive
    if kind == "notAllowed":
        return False
    if kind in ("optional", "zeroOrMore"):
        return True
    if kind == "choice":
        return any(_allowed(child, alive) for child in node)
    return all(_allowed(child, alive) for child in node)


def _prune(node: etree._Element, alive: set[str]) -> None:
    """Rewrite ``node``'s content in place: dead branches out, dead optional parts out (or
    ``empty`` where that is a choice's branch or the only content). libxml2 misreads an
    ``empty`` among a group's other patterns, so none is left there."""
    for child in list(node):
        kind = etree.QName(child).localname
        if kind == "choice":
            for branch in list(child):
                if not _allowed(branch, alive):
                    child.remove(branch)
        if kind in ("optional", "zeroOrMore") and not all(_allowed(c, alive) for c in child):
            alone = sum(isinstance(c.tag, str) for c in node) == 1
            if etree.QName(node).localname == "choice" or alone:
                node.replace(child, etree.Element(f"{RNG}empty"))
            else:
                node.remove(child)
        else:
            _prune(child, alive)


def _reachable(start: etree._Element, defines: dict[str, etree._Element]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for ref in todo.pop().iter(f"{RNG}ref"):
            name = ref.get("name", "")
            if name not in seen:
                seen.add(name)
                todo.append(defines[name])
    return seen


@cache
def simplified_root(path: Path) -> etree._Element:
    data = path.read_bytes()
    grammar = gzip.decompress(data) if path.suffix == ".gz" else data
    return etree.fromstring(grammar, safexml.parser())


def derive(simplified: Path, elements: frozenset[str] = LETTER_ELEMENTS) -> bytes:
    """The letter grammar, from ``simplified`` (``jing -s`` output, optionally gzipped)."""
    root = copy.deepcopy(simplified_root(simplified))
    defines = {define.get("name", ""): define for define in root.iter(f"{RNG}define")}
    alive = {name for name, define in defines.items() if _kept(define, elements)}
    while dead := {name for name in alive if not _allowed(defines[name], alive)}:
        alive -= dead
    start = root.find(f"{RNG}start")
    if start is None or not _allowed(start, alive):
        raise TeitoolsError(f"no document could be valid with only {sorted(elements)}", simplified)
    for node in [start, *(defines[name] for name in alive)]:
        _prune(node, alive)
    reachable = _reachable(start, defines)
    for name, define in defines.items():
        if name not in reachable:
            root.remove(define)
    text: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return text
