"""``make fuzz``: draw mutated case files and exports for ``FUZZ_SECONDS`` (default 600) and
check the invariant of tests/fuzz/test_fuzz_inputs.py on each; print the number of examples
and every distinct crash (exit 1 when there was one). ``FUZZ_SEED`` makes a run repeatable."""

from __future__ import annotations

import os
import random
import sys
import time
import warnings
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]

from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402

from tests.fuzz.test_fuzz_inputs import CRASHES, RUN, case_texts, check, exports  # noqa: E402


def main() -> int:
    seconds = float(os.environ.get("FUZZ_SECONDS", "600"))
    rng = random.Random(int(os.environ.get("FUZZ_SEED", str(time.time_ns()))))
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    cases, datas = case_texts(), exports()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kind = rng.random()
        try:
            if kind < 0.45:
                check(cases.example(), None, "validate")
            elif kind < 0.9:
                check(None, datas.example(), "validate")
            else:
                check(cases.example(), datas.example() if rng.random() < 0.5 else None, "build")
        except AssertionError:
            pass
    print(f"fuzz: {RUN['examples']} examples in {seconds:.0f} s, {len(CRASHES)} distinct crashes")
    for sig, example in CRASHES.items():
        print(f"  {example}")
    return 1 if CRASHES else 0


if __name__ == "__main__":
    sys.exit(main())
