// `crystal-gan evaluate-crystals DIR`: generation metrics for a folder of .cif / POSCAR files —
// construction, structural (CDVAE) and compositional (SMACT 2014) validity, uniqueness, and with
// --reference also novelty and the density / element-count Wasserstein distances
// (docs/method-crystal-gan.md §3). Prints a table per structure and a summary, or JSON.
import fs from 'node:fs';
import type { Command } from 'commander';
import { InputError, type CliIO, type CommandRegistration } from '../command';
import { loadReference, loadStructureFolder, type LabelledStructure, type StructureDataset } from '../../core/data/structureDatasets';
import { loadSmactTables } from '../../core/data/smactTables';
import type { SmactTables } from '../../core/chem/smact';
import type { SkippedRow } from '../../core/data/csv';
import { evaluateStructures, type GenerationMetrics, type StructureEvaluation } from '../../core/structure/metrics';
import { compositionBreakdown, fixed, formatTable, type Align } from '../../core/structure/report';
import { resolveDataOrFail } from './demo';

interface EvaluateCliOptions {
  reference?: string;
  json?: boolean;
  data?: string;
  composition?: boolean;
  byComposition?: boolean;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loadGenerated(dir: string): StructureDataset {
  if (!fs.existsSync(dir)) throw new InputError(`${dir} does not exist: give a folder of .cif or POSCAR files`);
  const dataset = loadStructureFolder(dir);
  if (dataset.structures.length === 0 && dataset.skipped.length === 0) {
    throw new InputError(`${dir} holds no .cif, .vasp, .poscar, POSCAR* or CONTCAR* files`);
  }
  return dataset;
}

function tablesOrNote(options: EvaluateCliOptions, io: CliIO): SmactTables | undefined {
  if (options.composition === false) return undefined;
  try {
    return loadSmactTables(resolveDataOrFail(options.data));
  } catch (error) {
    io.err(`compositional validity not computed: ${message(error)}`);
    return undefined;
  }
}

function flag(x: boolean | undefined): string {
  return x === undefined ? '-' : x ? 'yes' : 'no';
}

function structureRows(items: LabelledStructure[], evaluations: StructureEvaluation[]): string[][] {
  return evaluations.map((e, i) => [
    items[i].id,
    e.formula,
    String(e.natoms),
    fixed(e.volume, 2),
    fixed(e.density, 3),
    fixed(e.minDistance, 3),
    flag(e.construction.valid),
    flag(e.structural),
    flag(e.compositional),
    e.unique ? 'yes' : e.construction.valid ? `= ${items[e.groupOf].id}` : '-',
    flag(e.novel),
  ]);
}

function percent(x: number | undefined): string {
  return x === undefined ? 'not computed' : `${(100 * x).toFixed(2)} %`;
}

function summaryLines(m: GenerationMetrics, reference?: StructureDataset): string[] {
  const lines = [
    `structures: ${m.count}`,
    `construction validity: ${percent(m.constructionValidity)}`,
    `structural validity (volume ≥ 0.1 Å³, distinct atoms ≥ 0.5 Å): ${percent(m.structuralValidity)}`,
    `compositional validity (SMACT 2014, CDVAE rules): ${percent(m.compositionalValidity)}`,
    `validity (structural and compositional): ${percent(m.validity)}`,
    `uniqueness (groups / constructible): ${percent(m.uniqueness)} (${m.uniqueGroups} groups)`,
  ];
  if (reference) {
    lines.push(
      `novelty vs ${reference.name} (${m.referenceCount} structures): ${percent(m.novelty)}; unique and novel: ${percent(m.uniqueNovelty)}`,
      `density EMD (W1, g/cm³, ${m.emdSampleSize} valid sampled vs all reference): ${fixed(m.densityEMD ?? NaN, 4)}`,
      `#elements EMD (W1): ${fixed(m.elementCountEMD ?? NaN, 4)}`,
    );
  } else {
    lines.push('novelty and EMDs: need --reference');
  }
  lines.push(`matcher: ltol ${m.matcher.ltol}, stol ${m.matcher.stol}, angle_tol ${m.matcher.angleTol}° (primitive, scaled)`, 'stability (S.U.N.): not computed (needs relaxations and a convex hull)');
  return lines;
}

/** Per formula and cell size: samples, unique ones, volume per atom beside the reference's median. */
function breakdownLines(structures: LabelledStructure[], evaluations: StructureEvaluation[], reference?: StructureDataset): string[] {
  const built = evaluations.map((e, i) => ({ e, s: structures[i].structure })).filter(({ e }) => e.construction.valid);
  const rows = compositionBreakdown(built.map((b) => b.s), built.map((b) => b.e), reference?.structures.map((r) => r.structure));
  const headers = ['composition', 'samples', 'unique', 'unique %', 'V/atom q25', 'median', 'q75', 'reference median'];
  const cells = rows.map((r) => [r.key, String(r.samples), String(r.unique), fixed((100 * r.unique) / r.samples, 1), ...r.volumePerAtom.map((v) => fixed(v, 2)), fixed(r.referenceVolumePerAtom, 2)]);
  return ['', 'by composition (volume per atom in Å³):', ...formatTable(headers, cells, headers.map((_, c): Align => (c === 0 ? 'left' : 'right')))];
}

function skippedLines(title: string, skipped: SkippedRow[]): string[] {
  if (skipped.length === 0) return [];
  return [`${title}: ${skipped.length}`, ...skipped.slice(0, 20).map((s) => `  ${s.file}:${s.line}: ${s.reason}`), ...(skipped.length > 20 ? [`  … and ${skipped.length - 20} more`] : [])];
}

function runEvaluate(dir: string, options: EvaluateCliOptions, io: CliIO): number {
  const generated = loadGenerated(dir);
  let reference: StructureDataset | undefined;
  if (options.reference) {
    try {
      reference = loadReference(options.reference, () => resolveDataOrFail(options.data));
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`--reference ${options.reference}: ${message(error)}`);
    }
  }
  const tables = tablesOrNote(options, io);
  const { metrics, structures } = evaluateStructures(
    generated.structures.map((s) => s.structure),
    { reference: reference?.structures.map((s) => s.structure), tables },
  );
  if (options.json) {
    io.out(JSON.stringify({
      directory: dir,
      reference: reference ? { name: reference.name, count: reference.structures.length, skipped: reference.skipped } : undefined,
      metrics,
      ...(options.byComposition ? { byComposition: compositionBreakdown(generated.structures.map((s) => s.structure), structures, reference?.structures.map((r) => r.structure)) } : {}),
      structures: structures.map((e, i) => ({ id: generated.structures[i].id, file: generated.structures[i].file, ...e, minDistance: Number.isFinite(e.minDistance) ? e.minDistance : null, groupOf: generated.structures[e.groupOf].id })),
      skipped: generated.skipped,
    }, null, 2));
  } else {
    const headers = ['structure', 'formula', 'natoms', 'volume', 'density', 'min dist', 'built', 'struct', 'comp', 'unique', 'novel'];
    const align = headers.map((_, c): Align => (c === 0 || c === 1 || c >= 6 ? 'left' : 'right'));
    for (const line of formatTable(headers, structureRows(generated.structures, structures), align)) io.out(line);
    io.out('');
    const breakdown = options.byComposition ? breakdownLines(generated.structures, structures, reference) : [];
    for (const line of [...summaryLines(metrics, reference), ...breakdown, ...skippedLines('skipped files/blocks', generated.skipped), ...skippedLines('skipped reference rows', reference?.skipped ?? [])]) io.out(line);
  }
  if (generated.structures.length === 0) {
    io.err(`no structure in ${dir} could be read (${generated.skipped.length} skipped)`);
    return 1;
  }
  return 0;
}

export const registerEvaluateCrystals: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('evaluate-crystals')
    .description('Validity, uniqueness, novelty and property EMDs of the .cif / POSCAR files in a folder')
    .argument('<dir>', 'folder of generated .cif / POSCAR files (or one file)')
    .option('--reference <set>', 'reference for novelty and EMDs: nbo, perov-5, carbon-24, mp-20 (optionally :test/:val/:train), or a folder/file/CSV')
    .option('--json', 'print one JSON object instead of tables')
    .option('--by-composition', 'also break samples, unique ones and volume per atom down by formula and cell size')
    .option('--no-composition', 'skip compositional validity (needs the SMACT tables in the data directory)')
    .option('--data <dir>', 'data directory (default: crystalGan.dataDirectory / CRYSTAL_GAN_DATA / ../shared/data)')
    .action((dir: string, options: EvaluateCliOptions) => {
      process.exitCode = runEvaluate(dir, options, io);
    });
};
