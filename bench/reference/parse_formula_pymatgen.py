"""Reference for `parse-formula`: pymatgen's Composition on the same formulas, formulas/s."""
import json, sys, time
from pymatgen.core import Composition

formulas = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
start = time.perf_counter()
parsed = 0
for f in formulas:
    try:
        Composition(f).get_el_amt_dict()
        parsed += 1
    except Exception:
        pass
elapsed = time.perf_counter() - start
print(json.dumps({"value": len(formulas) / elapsed, "parsed": parsed, "n": len(formulas)}))
