"""Record golden values from the real libraries: ``python tests/golden/record.py``.

Needs torch 2.13 (``pip install torch==2.13.0``) and transformers.  For
every case in ``cases.py`` it builds the library's scheduler, runs the
training loop and writes ``recorded/<id>.json`` with the rows (``.json.gz``
for long runs); for the error cases it records the exception the library
raises.  The files are committed; the test suite compares lrplot against
them, and against the live libraries when they are installed.  Nothing from
lrplot's simulation is used here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]

from cases import CASES, ERROR_CASES, LONG_CASES, RECORDED_DIR, golden_path, spec_text, write_document  # noqa: E402
from oracle import library_version, run_library  # noqa: E402

from lrplot.spec import parse_spec  # noqa: E402


def record(case_id: str, template: str) -> Path:
    spec = parse_spec(spec_text(template))
    rows = run_library(spec)
    document = {
        "spec": template,
        "library": library_version(spec),
        "epochs": len(rows["lr"][0]),
        "lr": rows["lr"],
        "momentum": rows["momentum"],
    }
    path = golden_path(case_id)
    return write_document(path, document)


def record_error(case_id: str, template: str) -> Path:
    spec = parse_spec(spec_text(template))
    try:
        run_library(spec)
    except Exception as error:  # what the library raises is the golden value here
        document = {
            "spec": template,
            "library": library_version(spec),
            "exception": type(error).__name__,
            "message": str(error),
        }
    else:
        raise SystemExit(f"{case_id}: the library accepted {template!r}; it is not an error case")
    path = RECORDED_DIR / f"error-{case_id}.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    return path


def main() -> None:
    RECORDED_DIR.mkdir(exist_ok=True)
    for case_id, template in {**CASES, **LONG_CASES}.items():
        print("recorded", record(case_id, template).name)
    for case_id, template in ERROR_CASES.items():
        print("recorded", record_error(case_id, template).name)


if __name__ == "__main__":
    main()
