// The crystal-structure model shared by the CIF reader/writer, the POSCAR reader, the metrics,
// the crystal GAN and the viewer. Plain data (JSON-serialisable) so it crosses process and
// webview boundaries unchanged.

/** Row-vector lattice: matrix[0] = a, matrix[1] = b, matrix[2] = c, in Å (Cartesian). */
export type Mat3 = [[number, number, number], [number, number, number], [number, number, number]];
export type Vec3 = [number, number, number];

export interface CellParameters {
  a: number;
  b: number;
  c: number;
  /** Angles in degrees: alpha = ∠(b,c), beta = ∠(a,c), gamma = ∠(a,b). */
  alpha: number;
  beta: number;
  gamma: number;
}

/** One species on a site, with its occupancy (1 for an ordered site). */
export interface SiteSpecies {
  element: string;
  occupancy: number;
  /** Formal oxidation state when the source gives one (CIF type symbols such as Ca2+). */
  oxidationState?: number;
}

export interface Site {
  /** Fractional coordinates, wrapped into [0, 1) by producers that expand symmetry. */
  frac: Vec3;
  /** Several species when the site is disordered (partial occupancies at one position). */
  species: SiteSpecies[];
  label?: string;
}

export interface Structure {
  lattice: Mat3;
  sites: Site[];
  /** Free-form provenance: file name, data block, dataset row id. */
  source?: string;
}
