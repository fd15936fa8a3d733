"""Run from an installed wheel (not the checkout): the prompts ship with the package and a model
extraction replays a recorded exchange. Usage: python installed_check.py CHECKOUT

The checkout gives only the cassette and the seed report; ``giar_llm`` must come from site-packages.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import giar_llm
from giar_llm import reader
from giar_llm.core.document import Document
from giar_llm.core.schema import empty_report
from giar_llm.llm.client import ModelClient
from giar_llm.llm.extraction import extract_section
from giar_llm.llm.providers import resolve
from giar_llm.prompts import prompt_version, prompts_dir
from giar_llm.reader import compiled
from giar_llm.settings import Settings


def main(checkout: Path) -> None:
    package = Path(giar_llm.__file__).resolve().parent
    assert checkout.resolve() not in package.parents, f"giar_llm imported from the checkout: {package}"
    assert prompts_dir() == package / "_prompts", f"prompts read from {prompts_dir()}, not the package"
    print(f"installed package {package}, prompt version {prompt_version()}")
    assert compiled(), "the wheel's reader is not compiled (mypyc or the C compiler missing at build)"
    print(f"reader compiled: {Path(reader.__file__).name}")

    spec = importlib.util.spec_from_file_location("cassettes", checkout / "tests" / "llm" / "cassettes.py")
    assert spec is not None and spec.loader is not None
    cassettes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cassettes)

    seed = (checkout / "evals" / "reports" / "000_27f8f84a704e59bd.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(backend="llm", model="local/local", base_url=cassettes.RECORDING_URL, cache_dir=Path(cache))
        client = ModelClient(resolve("local/local", settings.base_url, env={}), settings, "test", None)
        with cassettes.recorder().use_cassette("client_clean_table4"):
            result = extract_section(client, Document(seed), empty_report("2021"), "四", {}, 2, False)
    assert result.error is None, result.error
    assert len(result.values) == 15 and all(v == 0 for v in result.values.values()), result.values
    assert client.accounting.calls == 1
    print("model extraction of table 四 replayed from the cassette: 15 cells, 1 call")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
