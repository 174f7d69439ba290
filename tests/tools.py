"""System tools some tests need (LibreOffice, poppler): skipped on a developer's machine
without them, but a failure in CI, which installs them (.ci/run)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The tool's path; skips the test locally when it is missing, fails it under CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
