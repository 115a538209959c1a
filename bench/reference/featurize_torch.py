"""Reference for `featurize` (gan): the critic's pooled vector Σ_e n_e v_e for 100,000 formulas,
as a PyTorch forward pass over the 85-element count matrix (parsing with pymatgen excluded from
the timing: the counts are prepared first). Prints seconds."""
import json, sys, time
import torch

torch.set_num_threads(1)
elements = [l.split(",")[1].strip() for l in open(sys.argv[2]).read().splitlines()[1:]]
index = {e: i for i, e in enumerate(elements)}
from pymatgen.core import Composition
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        amounts = Composition(line.strip()).get_el_amt_dict()
        if all(e in index for e in amounts):
            rows.append(amounts)
    except Exception:
        pass
counts = torch.zeros(len(rows), len(elements))
for r, amounts in enumerate(rows):
    for e, n in amounts.items():
        counts[r, index[e]] = n
table = torch.tanh(torch.randn(len(elements), 128))
start = time.perf_counter()
with torch.no_grad():
    features = counts @ table
elapsed = time.perf_counter() - start
print(json.dumps({"value": elapsed, "n": len(rows)}))
