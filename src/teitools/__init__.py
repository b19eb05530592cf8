"""teitools: OCR'd historical letters to TEI P5, validated and rendered.

The pipeline, one module family per stage::

    letters/*.txt --read--> model.Letter --tei.writer--> TEI P5 XML
    TEI P5 XML --validate--> findings
    TEI P5 XML --render (XSLT)--> HTML / PDF

Public API: :func:`teitools.convert.convert_file`, :func:`teitools.convert.convert_text`,
:func:`teitools.tei.writer.to_tei`.
"""

__version__ = "0.1.0"
