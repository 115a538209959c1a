#!/usr/bin/env python3
"""Cross-checks the CIF files written by `crystal-gan generate-crystals` with two independent readers.

    /usr/bin/python3 scripts/check-generated-cifs.py DIR [--tolerance 1e-4]

For every DIR/*.cif: read it with pymatgen (CifParser) and with ASE (ase.io.read), and check that
  - both readers succeed;
  - both give the same composition (element counts of the cell) and the same cell (a, b, c, alpha,
    beta, gamma) and volume;
  - both agree with the file's row in DIR/summary.csv (same reduced composition, cell, volume).
Prints one line per failing file, then the pass rate; exits 0 only when every file passes.
Needs Debian's python3 with pymatgen and ASE (`apt-get install python3-pymatgen python3-ase`).
"""
import argparse
import csv
import math
import sys
import warnings
from collections import Counter
from pathlib import Path

warnings.filterwarnings("ignore")

from ase.io import read as ase_read  # noqa: E402
from pymatgen.core import Composition  # noqa: E402
from pymatgen.io.cif import CifParser  # noqa: E402

CELL_KEYS = ["a", "b", "c", "alpha", "beta", "gamma"]


def pymatgen_view(path):
    structure = CifParser(str(path)).get_structures(primitive=False)[0]
    lattice = structure.lattice
    counts = Counter(str(site.specie) for site in structure)
    cell = dict(zip(CELL_KEYS, [*lattice.abc, *lattice.angles]))
    return dict(counts), cell, lattice.volume


def ase_view(path):
    atoms = ase_read(str(path), format="cif")
    counts = Counter(atoms.get_chemical_symbols())
    cell = dict(zip(CELL_KEYS, atoms.cell.cellpar()))
    return dict(counts), cell, atoms.get_volume()


def close(x, y, tolerance):
    return math.isclose(float(x), float(y), rel_tol=tolerance, abs_tol=tolerance)


def compare(label_a, view_a, label_b, view_b, tolerance):
    problems = []
    counts_a, cell_a, volume_a = view_a
    counts_b, cell_b, volume_b = view_b
    if counts_a != counts_b:
        problems.append(f"composition {label_a} {counts_a} vs {label_b} {counts_b}")
    for key in CELL_KEYS:
        if not close(cell_a[key], cell_b[key], tolerance):
            problems.append(f"{key} {label_a} {cell_a[key]:.6f} vs {label_b} {cell_b[key]:.6f}")
    if not close(volume_a, volume_b, tolerance):
        problems.append(f"volume {label_a} {volume_a:.4f} vs {label_b} {volume_b:.4f}")
    return problems


def check_summary(row, pmg, tolerance):
    """summary.csv writes 4 decimals for lengths, 3 for angles and volume: compare at that precision."""
    problems = []
    counts, cell, volume = pmg
    # Compare reduced compositions, not strings: pymatgen writes Tm(SiPt)2 where we write TmSi2Pt2.
    ours = Composition(row["formula"]).reduced_composition
    theirs = Composition(counts).reduced_composition
    if ours != theirs:
        problems.append(f"formula summary.csv {row['formula']} vs pymatgen {theirs.reduced_formula}")
    for key, digits in zip(CELL_KEYS, [4, 4, 4, 3, 3, 3]):
        if abs(float(row[key]) - cell[key]) > 0.6 * 10 ** -digits + tolerance:
            problems.append(f"{key} summary.csv {row[key]} vs pymatgen {cell[key]:.6f}")
    if abs(float(row["volume"]) - volume) > 0.6e-3 + tolerance * volume:
        problems.append(f"volume summary.csv {row['volume']} vs pymatgen {volume:.4f}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--tolerance", type=float, default=1e-4, help="relative/absolute tolerance between readers")
    args = parser.parse_args()
    files = sorted(args.dir.glob("*.cif"))
    if not files:
        print(f"{args.dir}: no .cif files", file=sys.stderr)
        return 2
    summary_path = args.dir / "summary.csv"
    rows = {}
    if summary_path.exists():
        with open(summary_path, newline="") as handle:
            rows = {row["file"]: row for row in csv.DictReader(handle)}
    else:
        print(f"warning: {summary_path} is missing; only the two readers are compared", file=sys.stderr)
    passed = 0
    for path in files:
        try:
            pmg = pymatgen_view(path)
            ase = ase_view(path)
        except Exception as error:  # a reader refusing the file is exactly what we check for
            print(f"{path.name}: unreadable: {type(error).__name__}: {error}")
            continue
        problems = compare("pymatgen", pmg, "ASE", ase, args.tolerance)
        if rows:
            row = rows.get(path.name)
            problems += [f"no row in summary.csv"] if row is None else check_summary(row, pmg, args.tolerance)
        if problems:
            print(f"{path.name}: " + "; ".join(problems))
        else:
            passed += 1
    extra = sorted(set(rows) - {p.name for p in files})
    if extra:
        print(f"summary.csv lists {len(extra)} file(s) that do not exist, e.g. {extra[0]}")
    rate = 100.0 * passed / len(files)
    print(f"{passed}/{len(files)} CIF files read identically by pymatgen and ASE and match summary.csv ({rate:.1f} %)")
    return 0 if passed == len(files) and not extra else 1


if __name__ == "__main__":
    sys.exit(main())
