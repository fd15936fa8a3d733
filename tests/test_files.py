"""Files this package writes: atomic, and as readable as any other new file (the umask decides)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from giar_llm.files import atomic_file, write_json


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_written_files_get_the_umask_mode_not_the_temporary_0600(tmp_path: Path) -> None:
    path = tmp_path / "out" / "envelope.json"
    write_json(path, {"值": 1})
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    with atomic_file(tmp_path / "data.bin", encoding=None) as handle:
        handle.write(b"\x00")
    assert stat.S_IMODE((tmp_path / "data.bin").stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["envelope.json"]
