"""TEI's own Schematron rules (``schemas/tei_all.sch``, XPath 2/3), run through Saxon-HE.

:mod:`~teitools.validate.sch_xslt` compiles the schema into one XSLT 3.0 stylesheet (kept in
the disk cache); Saxon compiles that once per process and runs it once per document. Each
finding carries the line and column Saxon recorded for the node. Documents reach Saxon as text
already parsed safely by lxml, so Saxon never resolves an entity or a DTD.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from teitools.errors import TeitoolsError
from teitools.resources import SCHEMAS
from teitools.safexml import saxon_text
from teitools.validate import cache as disk_cache
from teitools.validate import sch_xslt
from teitools.validate.findings import Finding

TEI_SCH = SCHEMAS / "tei_all.sch"


@cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    processor.set_configuration_property("l", "on")  # keep line numbers
    return processor


def started() -> bool:
    """Whether this process runs Saxon's runtime (which does not survive a ``fork``)."""
    return _processor.cache_info().currsize > 0


def stylesheet(schema: Path = TEI_SCH) -> bytes:
    """The generated XSLT for ``schema``, from the disk cache when it is there."""
    return disk_cache.derived(
        "tei-rules", schema, sch_xslt.RECIPE, lambda: sch_xslt.to_xslt(schema)
    )


@cache
def compiled(schema: Path = TEI_SCH) -> Any:
    """The stylesheet compiled by Saxon, once per process."""
    from saxonche import PySaxonApiError

    compiler = _processor().new_xslt30_processor()
    try:
        executable = compiler.compile_stylesheet(stylesheet_text=stylesheet(schema).decode())
    except PySaxonApiError as error:
        raise TeitoolsError(f"the Schematron rules do not compile: {error}", schema) from error
    executable.set_result_as_raw_value(True)
    return executable


def check(
    data: bytes, tree: etree._ElementTree, path: Path, schema: Path = TEI_SCH
) -> list[Finding]:
    """Findings for one document; ``data`` are its bytes, ``tree`` its safe lxml parse."""
    from saxonche import PySaxonApiError

    checks = sch_xslt.checks(schema)
    executable = compiled(schema)
    try:
        document = _processor().parse_xml(xml_text=saxon_text(data, tree))
        result = executable.apply_templates_returning_value(xdm_value=document)
    except (PySaxonApiError, UnicodeDecodeError) as error:
        return [Finding(str(path), 1, 1, "error", "tei-schematron", "tei_all.sch", str(error))]
    found = []
    for index in range(0, 0 if result is None else result.size, 3):
        node = result.item_at(index).get_node_value()
        check = checks[int(result.item_at(index + 1).string_value)]
        found.append(
            Finding(
                str(path),
                max(node.line_number, 1),
                max(node.column_number, 1),
                check.severity,
                "tei-schematron",
                check.pattern,
                " ".join(result.item_at(index + 2).string_value.split()),
            )
        )
    return found
