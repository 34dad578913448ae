"""Print `ingest --dry-run --format jsonl` lines for text files, using the extractor only.

Usage: python scripts/eval_extraction.py FILE... > pred.jsonl
"""

from __future__ import annotations

import datetime
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statements.extraction import extract, parse_header, to_jsonl_dict  # noqa: E402


def main(paths: list[str]) -> int:
    started = time.perf_counter()
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        published_on, _ = parse_header(text)
        statements = extract(text, published_on or datetime.datetime.now(tz=datetime.UTC).date())
        print(json.dumps(to_jsonl_dict(path, published_on, statements), ensure_ascii=False))
    elapsed = time.perf_counter() - started
    print(f"{len(paths)} files in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
