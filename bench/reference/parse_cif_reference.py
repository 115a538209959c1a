"""Reference for `parse-cif`: MB/s of pymatgen's CifParser (to structures) or gemmi's cif reader."""
import json, os, sys, time, warnings

warnings.filterwarnings("ignore")
which, files = sys.argv[1], sys.argv[2:]
total_bytes = sum(os.path.getsize(f) for f in files)
start = time.perf_counter()
ok = 0
for f in files:
    try:
        if which == "pymatgen":
            from pymatgen.io.cif import CifParser
            CifParser(f).get_structures(primitive=False)
        else:
            import gemmi
            gemmi.cif.read(f)
        ok += 1
    except Exception:
        pass
elapsed = time.perf_counter() - start
print(json.dumps({"value": total_bytes / 1e6 / elapsed, "ok": ok, "n": len(files)}))
