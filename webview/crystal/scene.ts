// What the viewer draws, computed without three.js so it is unit-tested: the atoms of an
// n1×n2×n3 supercell (plus the images that sit on the far faces, so a cubic cell shows all eight
// corners), bonds between atoms closer than the sum of their covalent radii (with tolerance), and
// the twelve edges of the cell box.
import { getElement } from '../../src/core/chem/elements';
import type { Mat3, Vec3 } from '../../src/core/structure/types';
import type { ViewerModel } from '../../src/extension/webviews/crystal/protocol';
import { elementColor } from './colors';

export interface SceneAtom {
  element: string;
  label: string;
  /** Fractional coordinates in the original cell (may exceed 1 in a supercell). */
  frac: Vec3;
  position: Vec3;
  radius: number;
  color: number;
  occupancy: number;
}

export interface SceneModel {
  atoms: SceneAtom[];
  bonds: [number, number][];
  /** Pairs of cartesian end points of the supercell box edges. */
  edges: [Vec3, Vec3][];
  centre: Vec3;
  /** Radius of a sphere around the centre holding everything (for the camera). */
  extent: number;
  /** True when bonds were asked for but skipped because there are too many atoms. */
  bondsSkipped?: boolean;
}

/** Bonds are drawn up to (r1 + r2) × this factor: covalent radii underestimate ionic contacts. */
export const BOND_TOLERANCE = 1.2;
/** Closer than this is a disorder or duplicate artefact, never a bond. */
const MIN_BOND = 0.4;
/** Coordinates this close to 0 also get an image on the far face. */
const FACE_EPS = 1e-3;
/** Drawn sphere radius = covalent radius × this. */
const ATOM_SCALE = 0.45;
const FALLBACK_RADIUS = 1.5;

export function fracToCart(m: Mat3, f: Vec3): Vec3 {
  return [
    f[0] * m[0][0] + f[1] * m[1][0] + f[2] * m[2][0],
    f[0] * m[0][1] + f[1] * m[1][1] + f[2] * m[2][1],
    f[0] * m[0][2] + f[1] * m[1][2] + f[2] * m[2][2],
  ];
}

function wrap(x: number): number {
  const w = x - Math.floor(x);
  return w >= 1 - 1e-9 ? 0 : w;
}

function covalentRadius(element: string): number {
  return getElement(element)?.covalentRadius ?? FALLBACK_RADIUS;
}

/** Every lattice translation in the supercell, plus face images for coordinates at 0. */
function imagesOf(frac: Vec3, supercell: Vec3): Vec3[] {
  const base = frac.map(wrap) as Vec3;
  const ranges = base.map((x, axis) => {
    const shifts: number[] = [];
    for (let n = 0; n < supercell[axis]; n++) shifts.push(x + n);
    if (x < FACE_EPS) shifts.push(x + supercell[axis]);
    return shifts;
  });
  const out: Vec3[] = [];
  for (const x of ranges[0]) for (const y of ranges[1]) for (const z of ranges[2]) out.push([x, y, z]);
  return out;
}

function boxEdges(lattice: Mat3, supercell: Vec3): [Vec3, Vec3][] {
  const corner = (i: number, j: number, k: number) => fracToCart(lattice, [i * supercell[0], j * supercell[1], k * supercell[2]]);
  const edges: [Vec3, Vec3][] = [];
  for (const [i, j, k] of [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]] as const) {
    if (i === 0) edges.push([corner(i, j, k), corner(1, j, k)]);
    if (j === 0) edges.push([corner(i, j, k), corner(i, 1, k)]);
    if (k === 0) edges.push([corner(i, j, k), corner(i, j, 1)]);
  }
  return edges;
}

/** Above this many drawn atoms bonds are skipped (the view says so): a 3×3×3 supercell of a large cell. */
export const MAX_BONDED_ATOMS = 20000;

/** Bonds by a uniform grid of cell size = the longest possible bond, so the cost stays ~linear. */
export function findBonds(atoms: SceneAtom[]): [number, number][] {
  const cov = Float64Array.from(atoms, (a) => covalentRadius(a.element));
  const maxBond = 2 * Math.max(0, ...cov) * BOND_TOLERANCE;
  if (atoms.length === 0 || maxBond <= 0) return [];
  // Numeric cell keys (not strings): offsets keep indices positive for cells of any sign.
  const SPAN = 1 << 10;
  const key = (x: number, y: number, z: number) => ((x + SPAN / 2) * SPAN + (y + SPAN / 2)) * SPAN + (z + SPAN / 2);
  const cellX = new Int32Array(atoms.length), cellY = new Int32Array(atoms.length), cellZ = new Int32Array(atoms.length);
  const grid = new Map<number, number[]>();
  atoms.forEach((a, i) => {
    cellX[i] = Math.floor(a.position[0] / maxBond);
    cellY[i] = Math.floor(a.position[1] / maxBond);
    cellZ[i] = Math.floor(a.position[2] / maxBond);
    const k = key(cellX[i], cellY[i], cellZ[i]);
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  });
  const bonds: [number, number][] = [];
  for (let i = 0; i < atoms.length; i++) {
    const [ax, ay, az] = atoms[i].position;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) {
      const list = grid.get(key(cellX[i] + dx, cellY[i] + dy, cellZ[i] + dz));
      if (!list) continue;
      for (const j of list) {
        if (j <= i) continue;
        const [bx, by, bz] = atoms[j].position;
        const d2 = (ax - bx) ** 2 + (ay - by) ** 2 + (az - bz) ** 2;
        const limit = (cov[i] + cov[j]) * BOND_TOLERANCE;
        if (d2 > MIN_BOND * MIN_BOND && d2 <= limit * limit) bonds.push([i, j]);
      }
    }
  }
  return bonds;
}

export function buildScene(model: ViewerModel, supercell: Vec3 = [1, 1, 1], withBonds = true): SceneModel {
  const atoms: SceneAtom[] = [];
  for (const atom of model.atoms) {
    for (const frac of imagesOf(atom.frac, supercell)) {
      atoms.push({
        element: atom.element,
        label: atom.label ?? atom.element,
        frac,
        position: fracToCart(model.lattice, frac),
        radius: covalentRadius(atom.element) * ATOM_SCALE,
        color: elementColor(atom.element),
        occupancy: atom.occupancy,
      });
    }
  }
  const centre = fracToCart(model.lattice, [supercell[0] / 2, supercell[1] / 2, supercell[2] / 2]);
  const edges = boxEdges(model.lattice, supercell);
  const extent = Math.max(1, ...edges.flat().map((p) => Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2])));
  const bonded = withBonds && atoms.length <= MAX_BONDED_ATOMS;
  return { atoms, bonds: bonded ? findBonds(atoms) : [], edges, centre, extent, bondsSkipped: withBonds && !bonded };
}
