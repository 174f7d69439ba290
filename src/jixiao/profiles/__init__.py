"""The shipped rule profiles, and loading a local one from a YAML file.

`load("shenzhen-2021")` reads `shenzhen-2021.yaml` beside this module; `load("my.yaml")`
reads a file. `inherits:` names a profile whose keys fill the ones a file leaves out.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jixiao.domain.profiles import Profile, ProfileError
from jixiao.domain.report_framework import Framework, ReportInputError

HERE = Path(__file__).parent
# Data files beside the profiles that are not rule profiles.
REPORT_FRAMEWORK = "report-framework"


def available() -> list[str]:
    """Names of the shipped profiles."""
    return sorted(path.stem for path in HERE.glob("*.yaml") if path.stem != REPORT_FRAMEWORK)


@cache
def report_framework() -> Framework:
    """The evaluation report's indicator system (report-framework.yaml, docs/reports.md)."""
    path = HERE / f"{REPORT_FRAMEWORK}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ReportInputError(str(path), [str(error)]) from None
    return Framework.from_mapping(data, str(path))


def load(name_or_path: str) -> Profile:
    """A profile by shipped name or by path to a YAML file."""
    return Profile.from_mapping(_resolved(name_or_path, ()))


@cache
def load_all() -> dict[str, Profile]:
    """Every shipped profile by name (used to name the nearest one for a form)."""
    return {name: load(name) for name in available()}


def _resolved(name_or_path: str, seen: tuple[str, ...]) -> dict[str, Any]:
    if name_or_path in seen:
        raise ProfileError(f"profile inheritance loops: {' → '.join(seen + (name_or_path,))}")
    data = _read(name_or_path)
    parent = data.pop("inherits", None)
    if parent is None:
        return data
    merged = _resolved(str(parent), seen + (name_or_path,))
    merged.update(data)
    return merged


def _read(name_or_path: str) -> dict[str, Any]:
    shipped = HERE / f"{name_or_path}.yaml"
    path = shipped if shipped.exists() else Path(name_or_path)
    if not path.is_file():
        raise ProfileError(f"unknown profile {name_or_path!r}: shipped profiles are {', '.join(available())}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ProfileError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a mapping of keys")
    data.setdefault("name", path.stem)
    return data
