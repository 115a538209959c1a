#!/usr/bin/python3
"""Reads CIF files with pymatgen's CifParser and prints one JSON object per data block:
{"file", "block", "composition" (occupancy-weighted, full cell), "cell" {a,b,c,alpha,beta,gamma},
"sites" (number of sites in the full cell), "error" (when pymatgen could not build the block)}.

Used by test/cif.pymatgen.test.ts to cross-check our CIF reader. Run with Debian's python3:
    /usr/bin/python3 scripts/check-cif-pymatgen.py FILE...
"""
import json
import sys
import warnings


def blocks_of(path):
    from pymatgen.io.cif import CifParser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parser = CifParser(path, occupancy_tolerance=1.0)
        for name, block in parser._cif.data.items():
            record = {"file": path, "block": block.header}
            try:
                structure = parser._get_structure(block, primitive=False, symmetrized=False)
            except Exception as error:  # pymatgen raises many kinds; report, do not stop
                structure = None
                record["error"] = f"{type(error).__name__}: {error}"
            if structure is not None:
                lattice = structure.lattice
                record["composition"] = {str(el): amt for el, amt in structure.composition.element_composition.items()}
                record["cell"] = dict(zip(["a", "b", "c", "alpha", "beta", "gamma"], lattice.parameters))
                record["sites"] = len(structure)
            elif "error" not in record:
                record["error"] = "no structure (pymatgen returned None)"
            yield record


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    for path in paths:
        try:
            for record in blocks_of(path):
                print(json.dumps(record))
        except Exception as error:
            print(json.dumps({"file": path, "error": f"{type(error).__name__}: {error}"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
