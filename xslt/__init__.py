"""XSLT stylesheets, templates and site assets, shipped with teitools (see teitools.resources)."""
