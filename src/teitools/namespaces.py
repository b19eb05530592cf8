"""The XML namespaces teitools reads and writes, named once."""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TEI = f"{{{TEI_NS}}}"  # a TEI element's tag is TEI + its local name
NS = {"t": TEI_NS}  # the prefix of TEI elements in XPath expressions
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
