"""Where teitools finds what it ships: schemas, stylesheets, templates and data.

Everything is read from inside the installed package through :mod:`importlib.resources`,
so a wheel works exactly like a checkout. In the repository the files live at the top
(``schemas/``, ``xslt/``) and in ``src/teitools/data/``; ``pyproject.toml`` maps them into
the package as ``teitools.schemas``, ``teitools.xslt`` and ``teitools.data``.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

from teitools import __version__


def _folder(package: str) -> Path:
    # lxml and Saxon resolve xsl:import and schema includes by file name, so the
    # resources must be real files: a package installed from a wheel always is.
    path = Path(str(resources.files(package)))
    if not path.is_dir():
        raise RuntimeError(f"teitools is installed without its {package} files ({path})")
    return path


SCHEMAS = _folder("teitools.schemas")
XSLT = _folder("teitools.xslt")
DATA = _folder("teitools.data")
PACKAGE = Path(__file__).resolve().parent

# The address of the teitools letter profile (schemas/teitools-letter.sch), as letters name
# it in <?xml-model?>: the validator reads the bundled copy, an XML editor can fetch it.
LETTER_PROFILE_URL = (
    "https://raw.githubusercontent.com/teitools/teitools/main/schemas/teitools-letter.sch"
)


@cache
def fingerprint() -> str:
    """One SHA-256 of everything that runs: the version, the code, the schemas, the
    stylesheets, templates and data. Caches key on it, so any change invalidates them."""
    digest = hashlib.sha256(__version__.encode())
    for root in (PACKAGE, SCHEMAS, XSLT):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            name = f"{root.name}/{path.relative_to(root).as_posix()}"
            digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
