"""Reference for `parse-cif`: MB/s of pymatgen's CifParser (to structures, as our readCif builds
structures) or gemmi's cif reader, on the same files. As on our side (bench/ours/parseCif.ts): the
first pass is reported apart (`firstPass`), then passes run for WARM_UP_SECONDS untimed and for
MEASURE_SECONDS timed; value = bytes / elapsed of whole timed passes. Files are read from disk by
both readers (the OS cache holds them after the first pass); our side parses strings in memory.
Usage: parse_cif_reference.py pymatgen|gemmi FILE... (a legacy ROUNDS argument is ignored)."""
import json, os, sys, time, warnings

WARM_UP_SECONDS = 1.0
MEASURE_SECONDS = 2.0

warnings.filterwarnings("ignore")
which, files = sys.argv[1], [a for a in sys.argv[2:] if not a.isdigit()]
if which == "pymatgen":
    from pymatgen.io.cif import CifParser

    def read(f):
        CifParser(f).get_structures(primitive=False)
else:
    import gemmi

    def read(f):
        gemmi.cif.read(f)


def one_pass():
    ok = 0
    for f in files:
        try:
            read(f)
            ok += 1
        except Exception:
            pass
    return ok


def passes_for(seconds, at_least=1):
    start, cpu_start = time.perf_counter(), time.process_time()
    passes = ok = 0
    while passes < at_least or time.perf_counter() - start < seconds:
        ok = one_pass()
        passes += 1
    return passes, time.perf_counter() - start, time.process_time() - cpu_start, ok


megabytes = sum(os.path.getsize(f) for f in files) / 1e6
_, first_seconds, _, _ = passes_for(0)
passes_for(WARM_UP_SECONDS)
passes, seconds, cpu_seconds, ok = passes_for(MEASURE_SECONDS)
print(json.dumps({"value": megabytes * passes / seconds, "perCpuSecond": megabytes * passes / cpu_seconds,
                  "firstPass": megabytes / first_seconds, "passes": passes, "ok": ok, "n": len(files)}))
