"""An edition's settings made into what a conversion needs: its rules, registers, catalogue
and the facts of publication. The command line's options override the settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from teitools.catalogue import Catalogue, load_catalogue
from teitools.config import Config, ConfigError, Publication, shown
from teitools.registers import Registers, load_registers, no_registers
from teitools.rules import Rules, load_rules


@dataclass(frozen=True)
class Conversion:
    """Everything a conversion of the edition's letters is made with."""

    rules: Rules
    registers: Registers
    catalogue: Catalogue | None
    publication: Publication

    def options(self) -> dict[str, Any]:
        """As keyword arguments of :func:`teitools.convert.convert_batch`."""
        return {
            "rules": self.rules,
            "registers": self.registers,
            "catalogue": self.catalogue,
            "publication": self.publication,
        }


def _configured(config: Config, path: Path, key: str) -> Path:
    """``path``, which the settings name: a one-line error naming the setting if missing."""
    if not path.exists():
        where = Path(config.source)
        raise ConfigError(f"{key} names {shown(path)}, which does not exist", shown(where))
    return path


def conversion(
    config: Config,
    *,
    rules: Sequence[Path] = (),
    registers: Sequence[Path] | None = None,
    catalogue: Path | None = None,
) -> Conversion:
    """The edition's conversion: its rules files and then ``rules``; ``registers`` and
    ``catalogue`` if given, else those the settings name (none: no register, no catalogue)."""
    paths = config.paths
    configured = [_configured(config, p, "paths.rules") for p in paths.rules]
    loaded = load_rules([*configured, *rules])
    if config.lang:
        loaded = replace(loaded, default_language=config.lang)
    if registers is None:
        registers = [_configured(config, p, "paths.registers") for p in paths.registers]
    if catalogue is None and paths.catalogue is not None:
        catalogue = _configured(config, paths.catalogue, "paths.catalogue")
    return Conversion(
        loaded,
        load_registers(registers) if registers else no_registers(),
        load_catalogue(catalogue) if catalogue else None,
        config.publication(),
    )
