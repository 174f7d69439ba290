"""Rule profiles (规则配置): the scoring and review parameters as named, versioned data.

A profile is data, never code: the shipped ones are YAML files in `jixiao/profiles/`, and a
local rule set is one more file. This module only gives the mapping its shape; reading the
files is `jixiao.profiles`' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping


class ProfileError(ValueError):
    """A profile file that does not have the shape scoring.md §7 describes."""


@dataclass(frozen=True, slots=True)
class QualitativeBands:
    """定性指标 bands: edges as fractions of the weight, and their labels, best first."""

    edges: tuple[Decimal, Decimal]
    labels: tuple[str, str, str]
    boundary: str = "upper"


@dataclass(frozen=True, slots=True)
class Profile:
    """One rule profile (scoring.md §7); every key is required once inheritance is resolved."""

    name: str
    version: int
    title: str
    funds_weight: Decimal
    level1_weights: Mapping[str, Decimal]  # "效益+满意度" compares the combined sum
    level1_deviation: str
    funds_rounding: str  # "full" or "rate2dp"
    funds_rate_cap: Decimal
    reverse_mode: str  # "linear_2T" or "ratio"
    qualitative: QualitativeBands
    grades: Mapping[str, Decimal] | None  # inclusive lower bounds, best first; None = no grading
    bonus_points: bool
    flag_ratio: Decimal
    strict_flag_ratio: Decimal
    penalize_over_completion: bool
    low_execution: Decimal
    big_adjustment: Decimal
    tol_funds_score: Decimal
    tol_row_score: Decimal
    tol_total: Decimal
    tol_weight: Decimal
    required_kinds: Mapping[str, tuple[str, ...] | str]
    manual_kinds: frozenset[str]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Profile:
        """Build a profile from its resolved mapping (inheritance already applied)."""
        try:
            qualitative = data["qualitative"]
            over = data["over_completion"]
            thresholds = data["thresholds"]
            tolerances = data["tolerances"]
            grades = data["grades"]
            if data["funds_rounding"] not in ("full", "rate2dp"):
                raise ProfileError(f"funds_rounding must be full or rate2dp, not {data['funds_rounding']!r}")
            if data["reverse_mode"] not in ("linear_2T", "ratio"):
                raise ProfileError(f"reverse_mode must be linear_2T or ratio, not {data['reverse_mode']!r}")
            edges = tuple(_dec(edge) for edge in qualitative["edges"])
            labels = tuple(qualitative["labels"])
            if len(edges) != 2 or len(labels) != 3 or not edges[0] > edges[1]:
                raise ProfileError("qualitative needs two falling edges and three labels")
            return cls(
                name=str(data["name"]),
                version=int(data["version"]),
                title=str(data.get("title") or data["name"]),
                funds_weight=_dec(data["funds_weight"]),
                level1_weights={str(k): _dec(v) for k, v in data["level1_weights"].items()},
                level1_deviation=str(data["level1_deviation"]),
                funds_rounding=str(data["funds_rounding"]),
                funds_rate_cap=_dec(data["funds_rate_cap"]),
                reverse_mode=str(data["reverse_mode"]),
                qualitative=QualitativeBands(edges, labels, str(qualitative.get("boundary", "upper"))),  # type: ignore[arg-type]
                grades=None if grades is None else {str(k): _dec(v) for k, v in grades.items()},
                bonus_points=bool(data["bonus_points"]),
                flag_ratio=_dec(over["flag_ratio"]),
                strict_flag_ratio=_dec(over["strict_flag_ratio"]),
                penalize_over_completion=bool(over["penalize"]),
                low_execution=_dec(thresholds["low_execution"]),
                big_adjustment=_dec(thresholds["big_adjustment"]),
                tol_funds_score=_dec(tolerances["funds_score"]),
                tol_row_score=_dec(tolerances["row_score"]),
                tol_total=_dec(tolerances["total"]),
                tol_weight=_dec(tolerances["weight"]),
                required_kinds={
                    str(k): (tuple(v) if isinstance(v, list) else str(v))
                    for k, v in data["required_kinds"].items()
                },
                manual_kinds=frozenset(data["manual_kinds"]),
            )
        except KeyError as missing:
            raise ProfileError(f"missing key {missing.args[0]!r}") from None
        except (TypeError, AttributeError, ArithmeticError) as error:
            raise ProfileError(str(error)) from None

    def grade(self, total: Decimal | None) -> str | None:
        """优/良/中/差 for a total; each lower bound is inclusive (scoring.md §6)."""
        if self.grades is None or total is None:
            return None
        for grade, lower in sorted(self.grades.items(), key=lambda item: item[1], reverse=True):
            if total >= lower:
                return grade
        return "差"


def _dec(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ProfileError(f"expected a number, got {value!r}")
    return Decimal(str(value))
