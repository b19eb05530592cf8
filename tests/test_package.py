"""The distribution: sdist and wheel built with the standard front end, installed into a fresh
virtual environment outside the checkout, every command run from there."""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from teitools import __version__, resources, site
from teitools.site import build_site

from conftest import ENCODED, LETTERS, TEI_NS, run_ok

pytestmark = pytest.mark.slow

GERMAN_LETTER = """Heidelberg, den 12. Mai 1931

Sehr geehrter Herr Professor,

für Ihren freundlichen Brief vom 3. d. M. danke ich Ihnen herzlich. Den Beitrag
über die Reichsreform schicke ich Ihnen in den nächsten Tagen.

Mit freundlichen Grüßen
Ihr sehr ergebener
Willy Andreas
"""


def test_the_sdist_and_the_wheel_carry_the_schemas_stylesheets_and_templates(dist: Path) -> None:
    wheel = next(dist.glob("teitools-*.whl"))
    sdist = next(dist.glob("teitools-*.tar.gz"))
    assert wheel.name.startswith(f"teitools-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in [
        "teitools/schemas/tei_all.simplified.rng.gz",
        "teitools/schemas/tei_all.sch",
        "teitools/schemas/teitools-letter.sch",
        "teitools/schemas/LICENSE-TEI.txt",
        "teitools/xslt/letter-html.xsl",
        "teitools/xslt/css/print.css",
        "teitools/xslt/site/base.html.j2",
        "teitools/xslt/site/list.js",
        "teitools/data/rules.yaml",
        "teitools/data/edition/teitools.toml",
        "teitools/data/edition/gitignore",
        "teitools/data/edition/registers/persons.yaml",
    ]:
        assert resource in names
    with tarfile.open(sdist) as archive:
        members = {Path(m).relative_to(Path(m).parts[0]).as_posix() for m in archive.getnames()}
    assert {"schemas/tei_all.rng", "xslt/letter-print.xsl", "pyproject.toml"} <= members


def test_every_command_works_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    teitools = installed / "teitools"

    work = tmp_path / "edition"  # outside the checkout: nothing may be found by relative paths
    run_ok(teitools, "init", "edition", cwd=tmp_path)  # the templates are in the wheel
    (work / "letters" / "andreas.txt").write_text(GERMAN_LETTER, encoding="utf-8")
    sample = sorted(LETTERS.glob("*.txt"))[0]
    (work / "letters" / sample.name).write_bytes(sample.read_bytes())

    assert run_ok(teitools, "--version", cwd=work).stdout.split()[-1] == __version__
    run_ok(teitools, "convert", "letters", "-o", "encoded", cwd=work)
    run_ok(teitools, "validate", "encoded", cwd=work)
    run_ok(teitools, "render", "encoded", "--to", "html", "-o", "html", cwd=work)
    run_ok(teitools, "render", "encoded", "--to", "pdf", "-o", "pdf", cwd=work)
    run_ok(teitools, "site", "encoded", "-o", "site", "--no-pdf", cwd=work)
    cmif = ["--title", "Andreas", "--editor", "A. Editor", "--email", "a@example.net"]
    cmif += ["--url", "https://example.net/cmif.xml", "--edition-url", "https://example.net/"]
    run_ok(teitools, "cmif", "encoded", "-o", "cmif.xml", *cmif, cwd=work)

    tei = etree.parse(str(work / "encoded" / "andreas.xml"))
    versions = tei.xpath("//t:appInfo/t:application[@ident='teitools']/@version", namespaces=TEI_NS)
    assert versions == [__version__]
    assert (work / "html" / "andreas.html").stat().st_size > 0
    assert (work / "pdf" / "andreas.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "site" / "letters" / "andreas.html").exists()
    assert b"<correspDesc" in (work / "cmif.xml").read_bytes()


def test_any_change_to_the_package_remakes_every_page_of_an_incremental_site(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One fingerprint of the installed package (code, schemas, stylesheets, templates,
    version) keys the site's manifest as it keys validation results: a changed cmif.py
    changes it, and an incremental build then makes every letter page and CMIF record again."""
    package = tmp_path / "package"
    shutil.copytree(resources.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(resources, "PACKAGE", package)
    before = resources.fingerprint.__wrapped__()
    with (package / "cmif.py").open("a", encoding="utf-8") as code:
        code.write("# a change\n")
    assert resources.fingerprint.__wrapped__() != before

    encoded = tmp_path / "encoded"
    encoded.mkdir()
    for letter in [sorted(ENCODED.glob("0*.xml"))[0], ENCODED / "register.xml"]:
        shutil.copyfile(letter, encoded / letter.name)
    build_site(encoded, tmp_path / "site", pdf=False)
    assert build_site(encoded, tmp_path / "site", pdf=False, incremental=True).rendered == 0
    monkeypatch.setattr(site, "fingerprint", lambda: "teitools with another cmif.py")
    assert build_site(encoded, tmp_path / "site", pdf=False, incremental=True).rendered == 1
