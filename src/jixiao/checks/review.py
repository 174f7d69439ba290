"""Run the catalogue over a form: the review as data (findings[] of form-json.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jixiao.checks import actuals, deviation, funds, indicators, inflation, reports, scores, targets, weights  # noqa: F401  (registers the checks)
from jixiao.checks.base import REGISTRY, Check, Context, Outcome, Result, Scope, Severity
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.scoring import Evaluation, evaluate


@dataclass(frozen=True, slots=True)
class Review:
    """A form, its evaluation, and every check's results on it."""

    form: Form
    evaluation: Evaluation
    results: tuple[Result, ...]

    @property
    def findings(self) -> list[Result]:
        """Failures and undetermined results, errors first."""
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        found = [result for result in self.results if result.is_finding]
        return sorted(found, key=lambda result: (order[result.severity], result.outcome != Outcome.FAIL))

    @property
    def has_errors(self) -> bool:
        """An error-severity check failed (undetermined results do not count)."""
        return any(r.severity is Severity.ERROR and r.outcome is Outcome.FAIL for r in self.results)

    def flatten(self, *fields: str) -> list[tuple[Any, ...]]:
        """Findings as tuples of the named fields, in catalogue order (for tests)."""
        return [tuple(getattr(result, name) for name in fields) for result in self.findings]

    def tally(self) -> dict[str, dict[str, int]]:
        """Per check code, how many results of each outcome (n/a included)."""
        counts: dict[str, dict[str, int]] = {}
        for result in self.results:
            per_code = counts.setdefault(result.code, {})
            per_code[result.outcome.value] = per_code.get(result.outcome.value, 0) + 1
        return counts

    def json(self) -> list[dict[str, Any]]:
        """`findings[]` of form-json.md, with the evidence checks.md asks for."""
        source = self.form.source
        indicators = self.form.indicators
        out = []
        for result in self.findings:
            row = indicators[result.indicator] if result.indicator is not None else None
            out.append(
                {
                    "code": result.code,
                    "severity": result.severity.value,
                    "outcome": result.outcome.value,
                    "message": result.message,
                    "indicator": result.indicator,
                    "expected": result.expected,
                    "found": result.found,
                    "evidence": {
                        "file": source.file,
                        "form": self.form.project.name or self.form.project.code,
                        "row": row.line if row is not None else None,
                        "cells": dict(result.cells),
                    },
                    **({"note": result.note} if result.note else {}),
                }
            )
        return out


def catalogue(scope: Scope | None = None) -> list[type[Check]]:
    """The registered checks in code order, optionally only those of one scope."""
    return [type(check) for check in _catalogue(scope, len(REGISTRY))]


@lru_cache(maxsize=16)
def _catalogue(scope: Scope | None, registered: int) -> tuple[Check, ...]:
    # Sorted once per scope, not once per form; a check registered later changes the count.
    # A check keeps no state between forms, so one instance of each serves every review.
    return tuple(REGISTRY[code]() for code in sorted(REGISTRY) if scope is None or scope in REGISTRY[code].scopes)


def review(
    form: Form,
    profile: Profile,
    *,
    batch: Sequence[Form] = (),
    profiles: Sequence[Profile] = (),
    pick: Iterable[str] | None = None,
) -> Review:
    """Score a form and run every check that applies to it (or only the codes in `pick`)."""
    evaluation = evaluate(form, profile)
    context = Context(form, evaluation, profile, batch, profiles)
    wanted = set(pick) if pick is not None else None
    results: list[Result] = []
    for check in _catalogue(context.scope, len(REGISTRY)):
        if wanted is not None and check.code not in wanted:
            continue
        results.extend(check.evaluate(context))
    return Review(form, evaluation, tuple(results))
