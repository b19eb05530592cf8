"""TEI P5 schemas and the letter profile, shipped with teitools (see teitools.resources)."""
