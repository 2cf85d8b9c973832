"""Benchmark: memory and time to refuse a gzip bomb, and to unpack a genuine gzipped report.

    .venv/bin/python bench/gzip_bomb.py [--gib N] [--lines N]

Each case runs in a fresh process (bench/_measure.run_isolated), so its peak RSS
(`ru_maxrss`) is its own. Target: a bomb is refused in well under 300 MB on a Pi.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._measure import run_isolated  # noqa: E402

MB = 1024 * 1024


def write_bomb(path: str, gib: int) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as out:
        out.writelines(packer.compress(b"0" * MB) for _ in range(gib * 1024))
        out.write(packer.flush())


def write_genuine(path: str, lines: str) -> None:
    from tests.synthetic import german_v2_settlement

    Path(path).write_bytes(gzip.compress(german_v2_settlement(int(lines))))


def open_gzip(path: str) -> str:
    from core.reports.decode import open_text
    from core.reports.errors import ReportError

    try:
        text = open_text(Path(path).read_bytes(), Path(path).name)
    except ReportError as error:
        return f"refused: {error.message()}"
    return f"unpacked {len(text.data) / MB:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=int, default=1, help="size the bomb unpacks to")
    parser.add_argument("--lines", type=int, default=200_000, help="lines of the genuine report")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        bomb, genuine = f"{folder}/bomb.txt.gz", f"{folder}/settlement.txt.gz"
        write_bomb(bomb, args.gib)
        # In its own process: a child inherits its parent's peak RSS, so the parent stays small.
        run_isolated("gzip_bomb", "write_genuine", genuine, str(args.lines))
        for name, path in (("bomb", bomb), ("genuine", genuine)):
            result = run_isolated("gzip_bomb", "open_gzip", path)
            size = Path(path).stat().st_size / MB
            print(f"{name:8} {size:6.2f} MB packed  {result['seconds']:6.2f} s  "
                  f"peak {result['rss_mb']:6.0f} MB  {result['result']}")


if __name__ == "__main__":
    main()
