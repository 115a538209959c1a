#!/usr/bin/env python3
"""Cross-checks our TypeScript structure matcher against pymatgen's StructureMatcher.

Samples pairs of structures (Nb-O by default, or one CDVAE split) with the same reduced formula (pairs with different formulas
never match in either), asks pymatgen (ltol 0.2, stol 0.3, angle_tol 5, primitive cell, scaled:
MatterGen's settings) and our matcher (same tolerances, run through tsx) whether each pair
matches, and prints the agreement rate, the confusion matrix, the disagreeing pairs, and the
number of unique groups each finds on the whole set.

With --generated DIR it checks a folder of generated CIFs instead: every pair our grouping calls a
duplicate (a structure and the first member of its group) and as many same-formula, same-size
pairs it calls distinct, so a reader sees whether our uniqueness is too strict or too loose.

Usage (from the project root; needs Debian's python3 with pymatgen, and npx tsx):
    /usr/bin/python3 scripts/check-matcher-pymatgen.py [--data DIR] [--pairs 1500] [--seed 0]
        [--set nbo|perov-5:test|carbon-24:val|mp-20:test ...] [--limit N]
    /usr/bin/python3 scripts/check-matcher-pymatgen.py --generated DIR [--pairs 300] [--seed 0]
"""
import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core import Lattice, Structure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Runs in the project root through tsx: reads pairs, prints our verdicts as JSON.
TS_SIDE = r"""
import fs from 'node:fs';
import { loadReference } from './src/core/data/structureDatasets';
import { matchPrepared, prepareStructure, uniqueGroups } from './src/core/structure/matcher';
const [dataDir, setName, limit, pairsFile] = process.argv.slice(-4);
const pairs: [string, string][] = JSON.parse(fs.readFileSync(pairsFile, 'utf8'));
const set = loadReference(setName, () => dataDir);
set.structures = set.structures.slice(0, Number(limit));
const byId = new Map(set.structures.map((s) => [s.id, prepareStructure(s.structure)]));
const t0 = Date.now();
const verdicts = pairs.map(([a, b]) => matchPrepared(byId.get(a)!, byId.get(b)!) !== undefined);
const pairMs = Date.now() - t0;
const t1 = Date.now();
const groups = uniqueGroups(set.structures.map((s) => s.structure)).length;
console.log(JSON.stringify({ verdicts, groups, pairMs, groupMs: Date.now() - t1 }));
"""


# Runs in the project root through tsx: groups a folder of CIFs with our matcher.
TS_GROUPS = r"""
import { loadStructureFolder } from './src/core/data/structureDatasets';
import { uniqueGroups } from './src/core/structure/matcher';
const dir = process.argv[process.argv.length - 1];
const set = loadStructureFolder(dir);
const groups = uniqueGroups(set.structures.map((s) => s.structure));
console.log(JSON.stringify(groups.map((g) => g.map((i) => set.structures[i].id))));
"""


def check_generated(args, matcher):
    """Our duplicate pairs and a sample of our distinct same-size pairs, each asked of pymatgen."""
    from pymatgen.io.cif import CifParser
    run = subprocess.run(['npx', 'tsx', '-e', TS_GROUPS, args.generated], cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f'our matcher failed:\n{run.stdout}\n{run.stderr}')
    groups = json.loads(run.stdout.strip().splitlines()[-1])
    structures = {}
    for group in groups:
        for name in group:
            structures[name] = CifParser(os.path.join(args.generated, name)).get_structures(primitive=False)[0]
    rng = random.Random(args.seed)
    duplicates = [(g[0], member) for g in groups for member in g[1:]]
    rng.shuffle(duplicates)
    duplicates = duplicates[: args.pairs]
    key = lambda name: (structures[name].composition.reduced_formula, len(structures[name]))
    firsts = [g[0] for g in groups]
    distinct = [(a, b) for a, b in itertools.combinations(firsts, 2) if key(a) == key(b)]
    rng.shuffle(distinct)
    distinct = distinct[: len(duplicates) or args.pairs]
    dup_agree = sum(matcher.fit(structures[a], structures[b]) for a, b in duplicates)
    dis_agree = sum(not matcher.fit(structures[a], structures[b]) for a, b in distinct)
    print(f'{args.generated}: {len(structures)} structures, our groups {len(groups)} (uniqueness {100 * len(groups) / len(structures):.1f} %)')
    print(f'pairs we call duplicates: {len(duplicates)} checked, pymatgen agrees on {dup_agree} ({100 * dup_agree / max(1, len(duplicates)):.1f} %)')
    print(f'same-formula same-size pairs we call distinct: {len(distinct)} checked, pymatgen agrees on {dis_agree} ({100 * dis_agree / max(1, len(distinct)):.1f} %)')
    if args.groups:
        t0 = time.time()
        theirs = len(matcher.group_structures(list(structures.values())))
        print(f'pymatgen groups over the folder: {theirs} (uniqueness {100 * theirs / len(structures):.1f} %, {time.time() - t0:.0f} s)')
    return 0 if dup_agree == len(duplicates) and dis_agree == len(distinct) else 1


CDVAE_FILES = {
    'perov-5': {'test': 'perov_5/test.csv', 'val': 'perov_5/val.csv'},
    'carbon-24': {'test': 'carbon_24/test.csv', 'val': 'carbon_24/val.csv'},
    'mp-20': {'test': 'mp_20_head/test_first142.csv', 'val': 'mp_20_head/val_first123.csv', 'train': 'mp_20_head/train_first847.csv'},
}


def load_nbo(data_dir):
    entries = json.load(open(os.path.join(data_dir, 'nbo', 'nbo_structures.json')))['structures']
    out = {}
    for e in entries:
        s = Structure(Lattice(e['lattice']), e['species'], e['frac_coords'])
        out[f"{e['entry_id']}/{e['structure_id']}"] = (e['reduced_formula'], s)
    return out


def load_cdvae(data_dir, spec, limit):
    """Rows of one CDVAE split, keyed like our loader (material_id)."""
    import pandas as pd
    name, split = spec.split(':')
    df = pd.read_csv(os.path.join(data_dir, 'structures', CDVAE_FILES[name][split]))[:limit]
    out = {}
    for row in df.itertuples():
        s = Structure.from_str(row.cif, fmt='cif')
        out[str(row.material_id)] = (s.composition.reduced_formula, s)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.environ.get('CRYSTAL_GAN_DATA') or os.path.join(ROOT, '..', 'shared', 'data'))
    ap.add_argument('--pairs', type=int, default=1500, help='number of same-formula pairs to sample')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--set', default='nbo', help='nbo, or a CDVAE split such as carbon-24:val')
    ap.add_argument('--limit', type=int, default=100000, help='use only the first N structures of the set')
    ap.add_argument('--generated', help='folder of generated CIFs: check our duplicate and distinct pairs')
    ap.add_argument('--groups', action='store_true', help='with --generated: also group the whole folder with pymatgen')
    args = ap.parse_args()
    if args.generated:
        return check_generated(args, StructureMatcher(ltol=0.2, stol=0.3, angle_tol=5, primitive_cell=True, scale=True))

    if args.set == 'nbo':
        structures = load_nbo(args.data)
    else:
        structures = load_cdvae(args.data, args.set, args.limit)
    ids = list(structures)
    same_formula = [(a, b) for a, b in itertools.combinations(ids, 2) if structures[a][0] == structures[b][0]]
    random.Random(args.seed).shuffle(same_formula)
    pairs = same_formula[: args.pairs]

    matcher = StructureMatcher(ltol=0.2, stol=0.3, angle_tol=5, primitive_cell=True, scale=True)
    t0 = time.time()
    theirs = [matcher.fit(structures[a][1], structures[b][1]) for a, b in pairs]
    pymatgen_s = time.time() - t0
    t0 = time.time()
    pymatgen_groups = len(matcher.group_structures([structures[i][1] for i in ids]))
    pymatgen_group_s = time.time() - t0

    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(pairs, f)
        pairs_file = f.name
    try:
        run = subprocess.run(['npx', 'tsx', '-e', TS_SIDE, args.data, args.set, str(args.limit), pairs_file], cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f'our matcher failed:\n{run.stdout}\n{run.stderr}')
    finally:
        os.unlink(pairs_file)
    ours = json.loads(run.stdout.strip().splitlines()[-1])

    agree = sum(o == t for o, t in zip(ours['verdicts'], theirs))
    both = sum(o and t for o, t in zip(ours['verdicts'], theirs))
    only_ours = [(p, 'ours only') for p, o, t in zip(pairs, ours['verdicts'], theirs) if o and not t]
    only_theirs = [(p, 'pymatgen only') for p, o, t in zip(pairs, ours['verdicts'], theirs) if t and not o]
    print(f'pairs: {len(pairs)} same-formula pairs from {args.set} (of {len(same_formula)}), seed {args.seed}')
    print(f'agreement: {agree}/{len(pairs)} = {100 * agree / len(pairs):.2f} %')
    print(f'match in both: {both}; ours only: {len(only_ours)}; pymatgen only: {len(only_theirs)}; neither: {agree - both}')
    print(f'unique groups over all {len(ids)} structures: ours {ours["groups"]}, pymatgen {pymatgen_groups}')
    print(f'time: pymatgen {pymatgen_s:.1f} s for the pairs, {pymatgen_group_s:.1f} s for grouping; '
          f'ours {ours["pairMs"] / 1000:.1f} s for the pairs, {ours["groupMs"] / 1000:.1f} s for grouping')
    for (a, b), why in (only_ours + only_theirs)[:30]:
        print(f'  disagree ({why}): {a} vs {b} ({structures[a][0]})')
    return 0 if agree == len(pairs) else 1


if __name__ == '__main__':
    sys.exit(main())
