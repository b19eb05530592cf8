"""The one Saxon-HE processor of a validating process, locked down.

It allows no URI scheme at all (``allowedProtocols`` empty), so no stylesheet it runs can
read a file, fetch an address or load a document; documents reach it as text that lxml has
already parsed safely (:func:`teitools.safexml.saxon_text`). Its runtime does not survive a
``fork``: :func:`started` tells whether this process has one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from teitools.execution import runtime_started


@cache
def processor() -> Any:
    from saxonche import PySaxonProcessor

    runtime_started("Saxon")
    saxon = PySaxonProcessor(license=False)
    saxon.set_configuration_property("l", "on")  # keep line numbers
    saxon.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "")
    return saxon


def started() -> bool:
    """Whether this process runs Saxon's runtime (which does not survive a ``fork``)."""
    return processor.cache_info().currsize > 0


def compile_xslt(text: bytes) -> Any:
    """An XSLT 3.0 stylesheet compiled; ``PySaxonApiError`` if it does not compile."""
    executable = (
        processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text.decode())
    )
    executable.set_result_as_raw_value(True)
    return executable


def parse(text: str) -> Any:
    """A document for Saxon, from text lxml has parsed safely."""
    return processor().parse_xml(xml_text=text)
