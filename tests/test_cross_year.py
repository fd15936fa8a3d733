"""Cross-year warnings: 上年结转 against last year's 结转下年度, and 现行有效件数 carried forward."""

from __future__ import annotations

from giar_llm.core.cross_year import CARRIED_OVER_CHECK, IN_FORCE_CHECK, cross_year_warnings
from giar_llm.core.envelope import Envelope, Source
from giar_llm.core.schema import Report2019, Report2021, empty_report


def _envelope(path: str, report: Report2019 | Report2021) -> Envelope:
    return Envelope(source=Source(path=path, sha256="0" * 64), status="verified", report=report)


def _report(agency: str | None, year: int | None, fmt: str = "2021") -> Report2019 | Report2021:
    report = empty_report("2021" if fmt == "2021" else "2019")
    report.meta.agency = agency
    report.meta.year = year
    return report


def _consistent_pair() -> tuple[Report2019 | Report2021, Report2019 | Report2021]:
    before, after = _report("某某街道办事处", 2021), _report("某某街道办事处", 2022)
    before.applications.carried_forward.natural_person = 2
    before.applications.carried_forward.total = 2
    after.applications.carried_over.natural_person = 2
    after.applications.carried_over.total = 2
    assert isinstance(before, Report2021) and isinstance(after, Report2021)
    before.proactive.normative_docs.in_force = 10
    after.proactive.normative_docs.issued = 3
    after.proactive.normative_docs.repealed = 1
    after.proactive.normative_docs.in_force = 12
    return before, after


def test_consistent_years_give_no_warning() -> None:
    before, after = _consistent_pair()
    assert cross_year_warnings([_envelope("a.txt", before), _envelope("b.txt", after)]) == {}


def test_carried_over_mismatch_is_warned_on_the_later_report() -> None:
    before, after = _consistent_pair()
    after.applications.carried_over.natural_person = 5
    found = cross_year_warnings([_envelope("b.txt", after), _envelope("a.txt", before)])
    assert list(found) == ["b.txt"]
    (warning,) = found["b.txt"]
    assert warning.check == CARRIED_OVER_CHECK
    assert warning.cells == ["applications.carried_over.natural_person"]
    for part in ("2022年", "2021年", " 5", " 2", "自然人", "a.txt"):
        assert part in warning.message


def test_in_force_mismatch_names_every_number() -> None:
    before, after = _consistent_pair()
    assert isinstance(after, Report2021)
    after.proactive.normative_docs.in_force = 20
    (warning,) = cross_year_warnings([_envelope("a.txt", before), _envelope("b.txt", after)])["b.txt"]
    assert warning.check == IN_FORCE_CHECK
    assert "proactive.normative_docs.in_force" in warning.cells
    for part in ("行政规范性文件", "20", "10", "3", "1", "应为 12", "2021年", "2022年"):
        assert part in warning.message


def test_blank_cells_are_not_compared() -> None:
    before, after = _consistent_pair()
    assert isinstance(after, Report2021)
    after.applications.carried_over.natural_person = None
    after.proactive.normative_docs.repealed = None
    after.proactive.normative_docs.in_force = 99
    assert cross_year_warnings([_envelope("a.txt", before), _envelope("b.txt", after)]) == {}


def test_only_consecutive_years_of_the_same_agency() -> None:
    before, after = _consistent_pair()
    after.applications.carried_over.total = 7
    other_agency = after.model_copy(deep=True)
    other_agency.meta.agency = "另一个街道办事处"
    gap = after.model_copy(deep=True)
    gap.meta.year = 2023
    no_year = after.model_copy(deep=True)
    no_year.meta.year = None
    envelopes = [
        _envelope("a.txt", before),
        _envelope("other.txt", other_agency),
        _envelope("gap.txt", gap),
        _envelope("noyear.txt", no_year),
    ]
    assert cross_year_warnings(envelopes) == {}


def test_in_force_needs_the_2021_format_in_both_years() -> None:
    before = _report("某某区人民政府", 2020, fmt="2019")
    after = _report("某某区人民政府", 2021)
    assert isinstance(after, Report2021)
    after.proactive.regulations.issued = 1
    after.proactive.regulations.repealed = 0
    after.proactive.regulations.in_force = 50
    before.applications.carried_forward.total = 4
    after.applications.carried_over.total = 3
    found = cross_year_warnings([_envelope("2020.txt", before), _envelope("2021.txt", after)])
    assert [w.check for w in found["2021.txt"]] == [CARRIED_OVER_CHECK]


def test_failed_envelopes_are_ignored() -> None:
    failed = Envelope(source=Source(path="x.txt", sha256=""), status="failed", error="empty file")
    assert cross_year_warnings([failed]) == {}
