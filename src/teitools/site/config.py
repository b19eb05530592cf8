"""The site's settings are the edition's: :mod:`teitools.config` (kept here for imports)."""

from teitools.config import Config as SiteConfig
from teitools.config import ConfigError, find_config, load_config

__all__ = ["ConfigError", "SiteConfig", "find_config", "load_config"]
