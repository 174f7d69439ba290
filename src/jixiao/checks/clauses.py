"""Clauses of deviation notes (偏差原因分析及改进措施), and an index of every clause of a batch,
so that deviation.boilerplate finds a copied explanation without comparing all pairs of forms.

Two clauses match when they are equal after folding or their character bigrams have a Jaccard
similarity of at least 0.8 (checks.md deviation.boilerplate). The index uses prefix filtering:
order each clause's bigrams from rarest to commonest in the batch; two sets that reach the
threshold must share a bigram among their first |x| − ⌈0.8·|x|⌉ + 1, so only clauses sharing
such a rare bigram are compared.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from jixiao.checks.rows import explains, fold
from jixiao.domain.model import Form

SIMILARITY = Fraction(4, 5)
_NUMERATOR, _DENOMINATOR = SIMILARITY.numerator, SIMILARITY.denominator
# Shorter clauses (受疫情影响, 疫情原因) are stock phrases every COVID note shares, not copies.
MIN_CLAUSE_CHARS = 6
# A note is cut at sentence and clause breaks and at its headings: "偏差原因：…。 改进措施：…，…"
# compares as separate clauses, so a copied half of an action (合理编制年度指标值) is found.
_HEADINGS = re.compile(r"偏差原因(?:分析)?|改进措施")
_BREAKS = re.compile(r"[。；;！!？?\n，,：:]+")
_NUMBERING = re.compile(r"^\d+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a note: as written (for the message), folded, and its bigrams."""

    text: str
    key: str
    grams: frozenset[str]


@lru_cache(maxsize=4096)
def clauses_of(note: str | None) -> tuple[Clause, ...]:
    """The comparable clauses of a note; none for a blank note or a 无偏差 claim.

    Memoised: the batch index and each form's review read the same notes."""
    if note is None or not explains(note):
        return ()
    found = []
    for piece in _BREAKS.split(_HEADINGS.sub("，", note or "")):
        key = _NUMBERING.sub("", fold(piece))
        if len(_CJK.findall(key)) >= MIN_CLAUSE_CHARS:
            found.append(Clause(piece.strip(), key, frozenset(key[i : i + 2] for i in range(len(key) - 1))))
    return tuple(found)


def similar(first: Clause, second: Clause) -> bool:
    if first.key == second.key:
        return True
    shared = len(first.grams & second.grams)
    union = len(first.grams) + len(second.grams) - shared
    return union > 0 and shared * _DENOMINATOR >= _NUMERATOR * union


def _at_least(size: int) -> int:
    """⌈0.8 · size⌉ in integers."""
    return -(-_NUMERATOR * size // _DENOMINATOR)


class ClauseIndex:
    """Every clause of every note in a batch, by folded text and by rare bigram."""

    def __init__(self, batch: Sequence[Form]) -> None:
        self.size = len(batch)
        self._where: dict[str, list[tuple[int, int]]] = {}
        self._clauses: dict[str, Clause] = {}
        for form_position, form in enumerate(batch):
            for row_position, row in enumerate(form.indicators):
                for clause in clauses_of(row.deviation):
                    self._where.setdefault(clause.key, []).append((form_position, row_position))
                    self._clauses.setdefault(clause.key, clause)
        self._rarity = Counter(gram for clause in self._clauses.values() for gram in clause.grams)
        self._postings: dict[str, list[Clause]] = {}
        for clause in self._clauses.values():
            for gram in self._prefix(clause):
                self._postings.setdefault(gram, []).append(clause)

    def _prefix(self, clause: Clause) -> list[str]:
        ordered = sorted(clause.grams, key=lambda gram: (self._rarity.get(gram, 0), gram))
        return ordered[: len(ordered) - _at_least(len(ordered)) + 1]

    def occurrences_like(self, clause: Clause) -> Iterator[tuple[int, int]]:
        """(form, row) positions of the clauses equal or similar to this one, equal ones first."""
        yield from self._where.get(clause.key, ())
        size = len(clause.grams)
        smallest, largest = _at_least(size), size * _DENOMINATOR // _NUMERATOR
        seen = {clause.key}
        for gram in self._prefix(clause):
            for candidate in self._postings.get(gram, ()):
                if candidate.key in seen or not smallest <= len(candidate.grams) <= largest:
                    continue
                seen.add(candidate.key)
                if similar(clause, candidate):
                    yield from self._where[candidate.key]


_LAST: dict[int, tuple[Sequence[Form], ClauseIndex]] = {}


def clause_index(batch: Sequence[Form]) -> ClauseIndex:
    """The index of a batch, built once however many of its forms are reviewed."""
    cached = _LAST.get(id(batch))
    if cached is not None and cached[0] is batch and cached[1].size == len(batch):
        return cached[1]
    index = ClauseIndex(batch)
    _LAST.clear()  # one batch at a time: a run does not keep old batches alive
    _LAST[id(batch)] = (batch, index)
    return index
