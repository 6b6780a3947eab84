"""Record the resumed runs from torch: ``python tests/golden/record_resumed.py``.

Needs torch 2.13 (and transformers for the ``hf`` cases).  For every case in
``resume_cases.py`` and every ``--resume-mode`` it runs ``oracle.run_library_resumed``
(the training loop up to the checkpoint, ``torch.save``/``torch.load`` of the optimizer's
and the scheduler's state, the restart, the rest of the loop) and writes
``resumed/<id>.json`` with rows K..N-1 per mode, or the exception the library raises.
Nothing from lrplot's simulation is used here.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]

from cases import write_document  # noqa: E402
from oracle import library_version, run_library_resumed  # noqa: E402
from resume_cases import LONG_RESUME_CASES, MODES, RESUME_CASES, RESUMED_DIR, mode_text, resumed_path  # noqa: E402

from lrplot.spec import parse_spec  # noqa: E402


def record(case_id: str, template: str) -> Path:
    modes = {}
    for mode in MODES:
        spec = parse_spec(mode_text(template, mode))
        try:
            rows = run_library_resumed(spec)
        except Exception as error:  # what torch raises is the golden value here
            modes[mode] = {"exception": type(error).__name__, "message": str(error)}
        else:
            modes[mode] = {"first_row": spec.run["resume_at"], "lr": rows["lr"], "momentum": rows["momentum"]}
    document = {"spec": template, "library": library_version(spec), "modes": modes}
    path = resumed_path(case_id)
    return write_document(path, document)


def main() -> None:
    RESUMED_DIR.mkdir(exist_ok=True)
    for case_id, template in {**RESUME_CASES, **LONG_RESUME_CASES}.items():
        print("recorded", record(case_id, template).name)


if __name__ == "__main__":
    main()
