"""Reference for `parse-formula`: pymatgen's Composition on the same formulas, formulas/s. As on our
side (bench/ours/parseFormula.ts): the first whole pass is timed on its own (`firstPass`), then
whole passes run for MEASURE_SECONDS (at least one) and value = formulas / elapsed over them.
Python has no JIT to warm up, so the first pass is the only warm-up."""
import json, sys, time
from pymatgen.core import Composition

MEASURE_SECONDS = 2.0

formulas = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]


def passes_for(seconds):
    start, cpu_start = time.perf_counter(), time.process_time()
    passes = parsed = 0
    while True:
        parsed = 0
        for f in formulas:
            try:
                Composition(f).get_el_amt_dict()
                parsed += 1
            except Exception:
                pass
        passes += 1
        if time.perf_counter() - start >= seconds:
            break
    return passes, time.perf_counter() - start, time.process_time() - cpu_start, parsed


n = len(formulas)
_, first_seconds, _, _ = passes_for(0)
passes, seconds, cpu_seconds, parsed = passes_for(MEASURE_SECONDS)
print(json.dumps({"value": n * passes / seconds, "perCpuSecond": n * passes / cpu_seconds, "firstPass": n / first_seconds,
                  "passes": passes, "parsed": parsed, "n": n}))
