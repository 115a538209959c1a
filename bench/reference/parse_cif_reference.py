"""Reference for `parse-cif`: MB/s of pymatgen's CifParser (to structures, as our readCif builds
structures) or gemmi's cif reader, on the same files. Imports and one warm-up pass happen before
the timed rounds, as on our side. Usage: parse_cif_reference.py pymatgen|gemmi ROUNDS FILE..."""
import json, os, sys, time, warnings

warnings.filterwarnings("ignore")
which, rounds, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
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


one_pass()  # warm-up
total_bytes = sum(os.path.getsize(f) for f in files) * rounds
start = time.perf_counter()
for _ in range(rounds):
    ok = one_pass()
elapsed = time.perf_counter() - start
print(json.dumps({"value": total_bytes / 1e6 / elapsed, "ok": ok, "n": len(files), "rounds": rounds}))
