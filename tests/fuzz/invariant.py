"""The fuzzer's invariant: every cell is right or doubtful (chosen/unknown and named in ``unsure``); a report is
``verified`` only when every cell is right, ``source_inconsistent`` only when the printed numbers really fail
exactly those checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from giar_llm.core.checker import check
from giar_llm.core.envelope import Envelope
from giar_llm.core.levels import DOUBTFUL, covering
from giar_llm.core.paths import flatten
from giar_llm.inputs import load_bytes
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from .generate import Case

SETTINGS = Settings(backend="rules")


@dataclass
class Outcome:
    status: str
    expected: str
    silent: list[str] = field(default_factory=list)  # wrong and not doubtful
    wrong: list[str] = field(default_factory=list)  # wrong, doubtful or not
    doubtful: int = 0
    wrong_status: str | None = None

    @property
    def ok(self) -> bool:
        return not self.silent and self.wrong_status is None

    def describe(self, case: Case, envelope: Envelope) -> str:
        got = flatten(envelope.report) if envelope.report is not None else {}
        cells = ", ".join(f"{p}={got.get(p)!r} (truth {case.truth[p]!r})" for p in self.silent[:6])
        return (
            f"{case.gold} {case.kind}/{case.layout} {'+'.join(case.mutations) or '-'}: status {self.status} "
            f"(expected {self.expected}); wrong status: {self.wrong_status}; {len(self.silent)} silent: {cells}"
        )


def _same(got: object, want: object) -> bool:
    return got == want and type(got) is type(want)


def _violation_keys(violations: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(v.check, v.cell or v.row or "") for v in violations}


def expected_status(case: Case) -> str:
    return "source_inconsistent" if check(case.report).violations else "verified"


def _group_doubtful(path: str, levels: dict[str, str], unsure: set[str]) -> bool:
    """Every cell the report has in the group ``path`` belongs to (applications.results.other) is doubtful."""
    group = path.rsplit(".", 2)[0] + "."
    cells = [p for p in levels if p.startswith(group)]
    return bool(cells) and all(levels[p] in DOUBTFUL and covering(p, unsure) is not None for p in cells)


def run(case: Case) -> Envelope:
    return extract_loaded(load_bytes(case.data, case.name), SETTINGS)


def judge(case: Case, envelope: Envelope) -> Outcome:
    outcome = Outcome(status=envelope.status, expected=expected_status(case))
    if envelope.report is None:
        return outcome  # failed: no cell is shown at all
    got = flatten(envelope.report)
    unsure = set(envelope.unsure)
    for path, want in case.truth.items():
        if path in envelope.levels:
            doubtful = envelope.levels[path] in DOUBTFUL and covering(path, unsure) is not None
        else:  # a row the report doesn't have: （六） read as three rows where it is one, or the other way
            doubtful = _group_doubtful(path, envelope.levels, unsure)
        outcome.doubtful += doubtful
        if _same(got.get(path), want):
            continue
        outcome.wrong.append(path)
        if not doubtful:
            outcome.silent.append(path)
    if envelope.status == "verified" and (outcome.wrong or outcome.expected != "verified"):
        outcome.wrong_status = "verified"
    if envelope.status == "source_inconsistent" and (
        outcome.wrong
        or outcome.expected != "source_inconsistent"
        or _violation_keys(envelope.violations) != _violation_keys(check(case.report).violations)
    ):
        outcome.wrong_status = "source_inconsistent"
    return outcome


def judged(case: Case) -> Envelope:
    """A case extracted and judged: the test fails with the outcome's description unless every cell is right
    or doubtful and the status is the one expected."""
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    return envelope
