"""Review checks as small registered units (checks.md).

A check has a fixed code, a severity, the scopes it applies to (F form, S summary row,
R report), a Chinese message template, and an `evaluate` that yields results. It never
raises on bad data: missing data is an `undetermined` result, never a silent pass.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, ClassVar

from jixiao.checks.facts import FormRows
from jixiao.domain.model import Form
from jixiao.domain.profiles import Profile
from jixiao.domain.scoring import Evaluation

_FORMATTER = string.Formatter()
_FIELD_NAME = re.compile(r"[^.\[]*")  # `{name}` of `{name.attribute}` or `{name[0]}`


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNDETERMINED = "undetermined"
    NOT_APPLICABLE = "n/a"


class Scope(StrEnum):
    FORM = "F"
    SUMMARY = "S"
    REPORT = "R"


@dataclass(frozen=True, slots=True)
class Context:
    """What a check sees: one form, its evaluation, the profile, and the batch around it."""

    form: Form
    evaluation: Evaluation
    profile: Profile
    batch: Sequence[Form] = ()  # every form read in the same run (for cross-form checks)
    profiles: Sequence[Profile] = ()  # the other rule profiles, to name the nearest one
    rows: FormRows = field(init=False, repr=False, compare=False)  # worked out once for every check

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", FormRows.of(self.form, self.evaluation))

    @property
    def scope(self) -> Scope:
        return Scope.SUMMARY if self.form.is_summary else Scope.FORM


@dataclass(frozen=True, slots=True)
class Result:
    """One outcome of one check, on the form (indicator None) or on one row."""

    code: str
    severity: Severity
    outcome: Outcome
    message: str = ""
    indicator: int | None = None
    expected: Any = None
    found: Any = None
    cells: Mapping[str, str] = field(default_factory=dict)  # raw cell texts as evidence
    note: str | None = None  # tally note (n/a reason) or an extra hint

    @property
    def is_finding(self) -> bool:
        return self.outcome in (Outcome.FAIL, Outcome.UNDETERMINED)


class Check:
    """Base of every check. Subclasses set the class attributes and write `evaluate`."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    scopes: ClassVar[frozenset[Scope]]
    message: ClassVar[str]  # the checks.md template, filled with str.format
    # Passes by row, and noted passes and n/a results by (outcome, note, row): results are
    # frozen, so one object per check serves every form. A review makes about 150 of them
    # per form, and the pipeline must review thousands of forms a second.
    _passes: ClassVar[dict[int | None, Result]]
    _shared: ClassVar[dict[tuple[Outcome, str | None, int | None], Result]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._passes, cls._shared = {}, {}

    def evaluate(self, context: Context) -> Iterator[Result]:
        raise NotImplementedError

    # Helpers that make a result of this check. `params` fill the message template.
    def passed(self, *, indicator: int | None = None, note: str | None = None) -> Result:
        if note is not None:
            return self._shared_result(Outcome.PASS, note, indicator)
        result = self._passes.get(indicator)
        if result is None:
            made = Result(self.code, self.severity, Outcome.PASS, indicator=indicator)
            result = _remember(self._passes, indicator, made)
        return result

    def not_applicable(self, note: str | None = None, *, indicator: int | None = None) -> Result:
        return self._shared_result(Outcome.NOT_APPLICABLE, note, indicator)

    def _shared_result(self, outcome: Outcome, note: str | None, indicator: int | None) -> Result:
        key = (outcome, note, indicator)
        result = self._shared.get(key)
        if result is None:
            made = Result(self.code, self.severity, outcome, indicator=indicator, note=note)
            result = _remember(self._shared, key, made)
        return result

    def failed(
        self,
        *,
        indicator: int | None = None,
        expected: Any = None,
        found: Any = None,
        cells: Mapping[str, str] | None = None,
        note: str | None = None,
        **params: Any,
    ) -> Result:
        params["expected"], params["found"] = expected, found
        return Result(
            self.code,
            self.severity,
            Outcome.FAIL,
            self._filled(params),
            indicator,
            _plain(expected),
            _plain(found),
            dict(cells or {}),
            note,
        )

    def undetermined(
        self,
        reason: str,
        *,
        indicator: int | None = None,
        expected: Any = None,
        found: Any = None,
        cells: Mapping[str, str] | None = None,
    ) -> Result:
        """Data missing or not comparable: a finding that says why, never a pass."""
        return Result(
            self.code,
            self.severity,
            Outcome.UNDETERMINED,
            f"无法判定：{reason}",
            indicator,
            _plain(expected),
            _plain(found),
            dict(cells or {}),
        )

    def format(self, **params: Any) -> str:
        return self._filled(params)

    def _filled(self, params: Mapping[str, Any]) -> str:
        # Only the parameters the template names are turned into text (a Decimal costs ≈ 1 µs).
        named = _names_in(self.message)
        shown = {key: _shown(value) for key, value in params.items() if key in named}
        try:
            return self.message.format_map(shown)
        except (KeyError, IndexError):
            return self.message  # a template with a missing parameter still reads


REGISTRY: dict[str, type[Check]] = {}
# Shared results kept per check: a form with thousands of rows must not pin thousands forever.
_SHARED_MAX = 1024


def register(check: type[Check]) -> type[Check]:
    """Add a check class to the catalogue; a duplicate code is a programming error."""
    if check.code in REGISTRY:
        raise ValueError(f"check code {check.code} registered twice")
    REGISTRY[check.code] = check
    return check


@lru_cache(maxsize=256)
def _names_in(template: str) -> frozenset[str]:
    """The parameters a message template names: `name` of {name}, {name.attribute}, {name[0]}."""
    return frozenset(_FIELD_NAME.match(field).group() for _, field, _, _ in _FORMATTER.parse(template) if field)


def _remember(shared: dict[Any, Result], key: Any, result: Result) -> Result:
    """Keep a shared result, emptying the store first when it is full."""
    if len(shared) >= _SHARED_MAX:
        shared.clear()
    shared[key] = result
    return result


def _plain(value: Any) -> Any:
    """Decimals become floats in findings (JSON numbers)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def _shown(value: Any) -> str:
    """How a number reads in a Chinese message: no trailing zeros, no exponent."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if value is None:
        return "（空）"
    return str(value)
