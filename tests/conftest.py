"""Shared fixtures: where the sample forms are, and the shipped profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import profiles

ROOT = Path(__file__).resolve().parent.parent
# The real published forms live in ../shared/samples; the repo ships copies in examples/.
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
SAMPLES = SHARED_SAMPLES if SHARED_SAMPLES.is_dir() else ROOT / "examples"


# The evaluation report sample is no form, so the repo ships it with the docs, not in examples/.
FALLBACKS = (ROOT / "examples", ROOT / "docs" / "examples")


def sample(name: str) -> Path:
    for folder in (SAMPLES, *FALLBACKS):
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"sample {name} not available")


@pytest.fixture(scope="session")
def national():
    return profiles.load("national-2020")


@pytest.fixture(scope="session")
def shenzhen():
    return profiles.load("shenzhen-2021")


@pytest.fixture(scope="session")
def hubei():
    return profiles.load("hubei")
