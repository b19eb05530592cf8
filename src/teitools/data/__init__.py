"""Rules and registers as data: YAML files an edition team reads and extends."""
