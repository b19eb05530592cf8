"""TEI P5 writers."""
