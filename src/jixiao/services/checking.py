"""Reading and checking batches of files: `jixiao parse` is `parse_files`, `jixiao check` is
`check_files`.

Bad input never stops a batch: each file's forms are kept or its error is recorded, and the
rest go on. The exit codes here are those of every command.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike

from jixiao import profiles
from jixiao.checks.review import Review, review
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.scoring import infer_profile_name
from jixiao.readers import FileResult, read_file
from jixiao.readers.grid import ReadError

# Called as progress(stage, done, total) with stage "read" (files) or "check" (forms).
Progress = Callable[[str, int, int], None]

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class ParseRun:
    """Every form read from a batch of files, and every place that could not be read."""

    files: tuple[FileResult, ...]

    @property
    def forms(self) -> list[Form]:
        return [form for result in self.files for form in result.forms]

    @property
    def errors(self) -> list[ReadError]:
        return [error for result in self.files for error in result.errors]

    @property
    def exit_code(self) -> int:
        return EXIT_UNREADABLE if self.errors else EXIT_OK


@dataclass(frozen=True, slots=True)
class CheckRun:
    """A parse run plus a review of each form that was read."""

    parsed: ParseRun
    reviews: tuple[Review, ...]

    @property
    def errors(self) -> list[ReadError]:
        return self.parsed.errors

    @property
    def exit_code(self) -> int:
        """2 if an input could not be read, else 1 if an error-severity check failed, else 0."""
        if self.parsed.errors:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if any(item.has_errors for item in self.reviews) else EXIT_OK


def parse_files(paths: Iterable[str | PathLike[str]], progress: Progress | None = None) -> ParseRun:
    """Read every file into forms; unreadable files and regions become errors, not exceptions."""
    paths = list(paths)
    results = []
    with _collector_paused():
        for done, path in enumerate(paths, 1):
            results.append(read_file(path))
            if progress:
                progress("read", done, len(paths))
    return ParseRun(tuple(results))


def check_files(
    paths: Iterable[str | PathLike[str]],
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> CheckRun:
    """Read, score and review every form. Without a profile, each form gets its default."""
    parsed = parse_files(paths, progress)
    return CheckRun(parsed, tuple(check_forms(parsed.forms, profile, progress)))


def check_forms(
    forms: Sequence[Form],
    profile: Profile | None = None,
    progress: Progress | None = None,
) -> list[Review]:
    """Review forms already read; the whole sequence is the batch cross-form checks compare."""
    shipped = profiles.load_all()
    candidates = tuple(shipped.values())
    reviews = []
    with _collector_paused():
        for done, form in enumerate(forms, 1):
            chosen = profile or shipped[infer_profile_name(form)]
            reviews.append(review(form, chosen, batch=forms, profiles=candidates))
            if progress:
                progress("check", done, len(forms))
    return reviews


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector out of a batch, and restore it after.

    A batch builds hundreds of long-lived objects per form and no reference cycles, so every
    automatic collection is wasted work, and the full ones rescan every form read so far:
    with the collector on, 10,000 forms took 28 % longer (docs/benchmarks.md).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
