"""How fast a batch's review index renders in a real browser (Debian's Chromium through Playwright).

    python benchmarks/bench_review_index.py            # 10,000 reports
    python benchmarks/bench_review_index.py -n 50000

The rows are the results of the gold-set reports (evals/reports), cycled to N with distinct file names.
Prints, for the median of 3 loads: the time from navigation start until every row is laid out (measured
by the page itself, performance.now()), the wall time of the load as Playwright sees it, and the time to
re-render after a sort and after a filter.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from giar_llm.pipeline import extract_file
from giar_llm.review.index import index_page, index_row
from giar_llm.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.review.browser import ARGS, CHROMIUM  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000, help="rows (default 10,000)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    settings = Settings(backend="rules")
    base = [
        index_row(extract_file(p, settings), f"{p.stem}.html") for p in sorted((ROOT / "evals" / "reports").iterdir())
    ]
    rows = [
        replace(base[i % len(base)], source=f"reports/{i:05d}/{Path(base[i % len(base)].source).name}")
        for i in range(args.n)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index.html"
        started = time.perf_counter()
        index.write_text(index_page(rows, f"复核 · {args.n} 份"), encoding="utf-8")
        written = time.perf_counter() - started
        print(f"{args.n} rows: index.html {index.stat().st_size / 1e6:.1f} MB, written in {written:.2f} s")
        rendered, walls, sorts, filters = [], [], [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for _ in range(3):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                started = time.perf_counter()
                page.goto(index.as_uri())
                page.wait_for_selector("body[data-rendered-ms]")
                walls.append(time.perf_counter() - started)
                rendered.append(float(page.get_attribute("body", "data-rendered-ms") or "nan") / 1000)
                assert page.locator("#shown").inner_text() == f"显示 {args.n} / {args.n}"
                sorts.append(
                    page.evaluate(
                        "() => { const t = performance.now(); document.querySelector('th[data-k=\"2\"]').click();"
                        " void document.body.offsetHeight; return (performance.now() - t) / 1000; }"
                    )
                )
                filters.append(
                    page.evaluate(
                        "() => { const t = performance.now(); const f = document.getElementById('status-filter');"
                        " f.value = 'unverified'; f.dispatchEvent(new Event('change'));"
                        " void document.body.offsetHeight; return (performance.now() - t) / 1000; }"
                    )
                )
                page.close()
            browser.close()
    print(f"rendered (navigation start → every row laid out): median {statistics.median(rendered):.2f} s {rendered}")
    print(f"load as seen by Playwright: median {statistics.median(walls):.2f} s")
    print(
        f"sort by 存疑单元格: median {statistics.median(sorts):.2f} s; filter by status: median {statistics.median(filters):.2f} s"
    )


if __name__ == "__main__":
    main()
