// Structure → the plain JSON the viewer webview draws. Pure, unit-tested.
import { formatFormula, hillOrder, reduceComposition } from '../../core/chem/composition';
import type { Structure } from '../../core/structure/types';
import type { ViewerModel } from '../webviews/crystal/protocol';
import type { LoadedStructure } from './structureSource';

/** Occupancy-weighted element counts of the cell. */
export function cellComposition(structure: Structure): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const site of structure.sites) for (const sp of site.species) counts[sp.element] = (counts[sp.element] ?? 0) + sp.occupancy;
  return counts;
}

export function reducedFormulaOf(structure: Structure): string {
  const counts = cellComposition(structure);
  if (Object.keys(counts).length === 0) return '(no atoms)';
  const { composition } = reduceComposition(counts);
  return formatFormula(composition, hillOrder(Object.keys(composition)));
}

/** One viewer atom per species: a disordered site draws each species at the same place. */
export function toViewerModel(title: string, loaded: LoadedStructure): ViewerModel {
  const { structure } = loaded;
  return {
    title,
    lattice: structure.lattice,
    atoms: structure.sites.flatMap((site) => site.species.map((sp) => ({ element: sp.element, frac: site.frac, label: site.label, occupancy: sp.occupancy }))),
    formula: reducedFormulaOf(structure),
    spaceGroup: loaded.spaceGroup,
    warnings: loaded.warnings,
    blockNames: loaded.blockNames,
    blockIndex: loaded.blockIndex,
  };
}
