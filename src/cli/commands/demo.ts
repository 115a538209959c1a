// `crystal-gan demo`: the quick start. Parses every Nb–O POSCAR in the data directory with our own
// reader and prints one row per structure (formula, cell, volume, closest pair of atoms), then the
// counts per composition, the physically broken structures (atoms closer than 0.5 Å) and a
// cross-check against nbo_structures.json (pymatgen's parse of the same files).
import path from 'node:path';
import type { Command } from 'commander';
import { InputError, type CliIO, type CommandRegistration } from '../command';
import { DataDirectoryNotFoundError, resolveDataDir } from '../../core/data/dataDir';
import { checkNboAgainstJson, loadNbo, type LabelledStructure } from '../../core/data/structureDatasets';
import { countsLine, fixed, formatTable, summarise, type Align, type StructureSummary } from '../../core/structure/report';

/** CDVAE's structural-validity threshold: atoms closer than this are unphysical. */
const BROKEN_BELOW = 0.5;
/** Contacts this short are suspicious for oxides though they pass the 0.5 Å rule. */
const SUSPICIOUS_BELOW = 1.0;

/** The data directory; an explicit --data that is not usable is an error, not a silent fallback. */
export function resolveDataOrFail(setting?: string): string {
  try {
    const resolved = resolveDataDir({ setting });
    if (setting && resolved.source !== 'setting') {
      throw new InputError(`--data ${setting}: ${resolved.tried[0]?.rejected ?? 'not usable'} (it must hold nbo/, structures/, smact/ …)`);
    }
    return resolved.path;
  } catch (error) {
    if (error instanceof DataDirectoryNotFoundError) throw new InputError(error.message);
    throw error;
  }
}

function row(item: LabelledStructure, s: StructureSummary): string[] {
  return [
    `${item.id}.vasp`,
    s.formula,
    String(s.natoms),
    ...[s.a, s.b, s.c].map((x) => fixed(x, 4)),
    ...[s.alpha, s.beta, s.gamma].map((x) => fixed(x, 2)),
    fixed(s.volume, 3),
    fixed(s.minDistance, 4) + (s.minDistance < BROKEN_BELOW ? ' !' : ''),
  ];
}

function runDemo(io: CliIO, options: { data?: string }): number {
  const dataDir = resolveDataOrFail(options.data);
  let dataset;
  try {
    dataset = loadNbo(dataDir);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const summaries = dataset.structures.map((item) => ({ item, s: summarise(item.structure) }));
  io.out(`Nb–O structures in ${path.join(dataDir, 'nbo', 'poscar')}: ${dataset.structures.length} parsed, ${dataset.skipped.length} skipped`);
  io.out('');
  const headers = ['file', 'formula', 'natoms', 'a', 'b', 'c', 'alpha', 'beta', 'gamma', 'volume', 'min dist'];
  const align = headers.map((_, c): Align => (c < 2 ? 'left' : 'right'));
  for (const line of formatTable(headers, summaries.map(({ item, s }) => row(item, s)), align)) io.out(line);
  io.out('');
  io.out('(lengths and distances in Å, angles in degrees, volume in Å³; "!" marks atoms closer than 0.5 Å)');
  const perFormula = new Map<string, number>();
  for (const { s } of summaries) perFormula.set(s.formula, (perFormula.get(s.formula) ?? 0) + 1);
  io.out(`Per composition (${perFormula.size}): ${countsLine(perFormula)}`);
  const broken = summaries.filter(({ s }) => s.minDistance < BROKEN_BELOW);
  io.out(`Broken structures (min distance < ${BROKEN_BELOW} Å): ${broken.length}`);
  for (const { item, s } of broken) {
    const pair = s.closestPair;
    const atoms = pair ? ` between atom ${pair.i} (${pair.elements[0]}) and atom ${pair.j} (${pair.elements[1]})` : '';
    io.out(`  ${item.id}.vasp  ${s.formula}  ${fixed(s.minDistance, 4)} Å${atoms}`);
  }
  const suspicious = summaries.filter(({ s }) => s.minDistance >= BROKEN_BELOW && s.minDistance < SUSPICIOUS_BELOW);
  io.out(`Close contacts ${BROKEN_BELOW}–${SUSPICIOUS_BELOW} Å (valid by the ${BROKEN_BELOW} Å rule, physically doubtful): ${suspicious.length}`);
  for (const { item, s } of suspicious) io.out(`  ${item.id}.vasp  ${s.formula}  ${fixed(s.minDistance, 4)} Å`);
  io.out(`Skipped files: ${dataset.skipped.length}`);
  for (const skip of dataset.skipped) io.out(`  ${skip.file}:${skip.line}: ${skip.reason}`);
  reportCrossCheck(io, dataDir, dataset);
  return 0;
}

function reportCrossCheck(io: CliIO, dataDir: string, dataset: ReturnType<typeof loadNbo>): void {
  let mismatches;
  try {
    mismatches = checkNboAgainstJson(dataDir, dataset);
  } catch (error) {
    io.err(`cross-check skipped: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const bad = new Set(mismatches.map((m) => m.id));
  io.out(`Cross-check with nbo_structures.json (pymatgen): ${dataset.structures.length - bad.size} of ${dataset.structures.length} agree (lattice 1e-6 Å; volume, min distance 1e-4)`);
  for (const m of mismatches.slice(0, 20)) io.out(`  ${m.id}: ${m.field} ${m.detail}`);
}

export const registerDemo: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('demo')
    .description('Parse the 267 Nb–O POSCARs of the data set and tabulate formula, cell, volume and closest atoms')
    .option('--data <dir>', 'data directory (default: crystalGan.dataDirectory / CRYSTAL_GAN_DATA / ../shared/data)')
    .action((options: { data?: string }) => {
      process.exitCode = runDemo(io, options);
    });
};
