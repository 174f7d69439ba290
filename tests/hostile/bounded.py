"""Run `read_file` on a hostile input in a child process with a time and memory bound.

The child's address space is capped with RLIMIT_AS and the parent waits at most
`seconds`, so a test proves that a zip bomb, an entity bomb or a huge file ends in a clear
error without taking the machine down with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

CHILD = r"""
import json, resource, sys
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from jixiao.readers import read_file
result = read_file(sys.argv[1])
print(json.dumps({"forms": len(result.forms), "errors": [str(error) for error in result.errors]}, ensure_ascii=False))
"""


@dataclass(frozen=True)
class BoundedRead:
    forms: int
    errors: list[str]


def read_bounded(path, seconds: float = 30, memory_mb: int = 1536) -> BoundedRead:
    """read_file(path) in a child limited to `seconds` and `memory_mb`; fails the test if it crashes."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(memory_mb)],
        capture_output=True,
        text=True,
        timeout=seconds,
    )
    assert completed.returncode == 0, f"reader crashed (exit {completed.returncode}): {completed.stderr[-2000:]}"
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return BoundedRead(data["forms"], data["errors"])
