// Node side of the featurizers: reads the element tables from the data directory (never copied
// into the repository) and the GAN embeddings from a composition-GAN run folder.
import fs from 'node:fs';
import path from 'node:path';
import { readCsv } from '../data/csv';
import { MAGPIE_PROPERTIES, type MagpieTable } from './magpie';
import type { ElementEmbeddings } from './gan';

export const ELEMENTS_85_FILE = path.join('composition', 'gan_train_oqmd', 'elements_85.csv');
export const MAGPIE_IMPUTED_FILE = path.join('elements', 'magpie', 'magpie_preset22_imputed.csv');

/** The 85-element vocabulary in matrix-row order (method §1). */
export function loadElements85(dataDir: string): string[] {
  const file = path.join(dataDir, ELEMENTS_85_FILE);
  const table = readCsv(file);
  const elements: string[] = [];
  for (const r of table.records) {
    const index = Number(r.values.index);
    if (index !== elements.length || !r.values.element) throw new Error(`${file}:${r.line}: expected index ${elements.length} and a symbol`);
    elements.push(r.values.element.trim());
  }
  return elements;
}

/**
 * The 22 "magpie" preset properties for Z = 1..112 with missing values already filled by the mean
 * over elements (matminer's default impute_nan=True). Throws naming file and line on a bad cell.
 */
export function loadMagpieTable(dataDir: string): MagpieTable {
  const file = path.join(dataDir, MAGPIE_IMPUTED_FILE);
  const table = readCsv(file);
  const missing = MAGPIE_PROPERTIES.filter((p) => !table.columns.includes(p));
  if (missing.length) throw new Error(`${file}: missing columns ${missing.join(', ')}`);
  const elements: string[] = [];
  const values: number[][] = [];
  for (const r of table.records) {
    const row = MAGPIE_PROPERTIES.map((p) => {
      const v = Number(r.values[p]);
      if (r.values[p] === '' || !Number.isFinite(v)) throw new Error(`${file}:${r.line}: ${p} of ${r.values.element} is not a number`);
      return v;
    });
    elements.push(r.values.element.trim());
    values.push(row);
  }
  return { elements, values };
}

/** embeddings.json of a composition-GAN run (written by src/ml/compositionGan). */
export function loadEmbeddings(runDir: string): ElementEmbeddings {
  const file = path.join(runDir, 'embeddings.json');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: is ${runDir} a finished composition-GAN run?`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ElementEmbeddings>;
  const { elements, dim, vectors } = json;
  if (!Array.isArray(elements) || typeof dim !== 'number' || !Array.isArray(vectors) || vectors.length !== elements.length) {
    throw new Error(`${file}: expected {elements: string[], dim: number, vectors: number[][]} with one vector per element`);
  }
  return { elements, dim, vectors };
}
