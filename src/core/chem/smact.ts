// SMACT-style chemical checks on compositions, with the tables passed in (web-safe; the Node
// loader is src/core/data/smactTables.ts):
// - cdvaeCompositionValidity: CDVAE's `smact_validity` (scripts/eval_utils.py, reused by DiffCSP),
//   as docs/method-crystal-gan.md §3 defines it: gcd-reduced counts; one element → valid; all in
//   SMACT's metals list → valid (alloy shortcut); else some oxidation-state assignment (product
//   over the 2014 table) is neutral in the exact reduced ratio and passes the Pauling test.
//   Missing χ: the SMACT that CDVAE used compared None with a float, raised TypeError, and CDVAE's
//   `except TypeError` counted the assignment as passing. We reproduce that (the pair test stops
//   at the first opposite-sign pair with a missing χ and passes), and flag it in the result.
// - matganChemicalValidity: MatGAN's charge-neutral (CN) and electronegativity-balanced (EB)
//   checks (docs/method-composition-gan.md §9) on the counts as written; valid = CN and EB for one
//   assignment. Here a missing χ fails EB by default (current SMACT), configurable.
// The assignments are enumerated depth-first in itertools.product order with pruning on the
// reachable charge range, so the first hit equals the reference's first hit, and a cap bounds the
// work for many-element formulas.

export interface SmactTables {
  /** Oxidation states per element (SMACT 2014 set for CDVAE); [] for He, Ne, Ar. */
  oxidationStates: ReadonlyMap<string, readonly number[]>;
  /** Pauling electronegativity per element; undefined where SMACT has None. */
  electronegativity: ReadonlyMap<string, number | undefined>;
  /** SMACT's metals list (79 symbols), used by CDVAE's alloy shortcut. */
  metals: ReadonlySet<string>;
}

export type SmactReason =
  | 'single-element'
  | 'all-metals'
  | 'neutral-and-electronegativity-balanced'
  | 'neutral-but-not-electronegativity-balanced'
  | 'no-neutral-assignment'
  | 'no-oxidation-states'
  | 'unknown-element'
  | 'search-capped';

export interface SmactResult {
  valid: boolean;
  reason: SmactReason;
  /** The oxidation-state assignment that made it valid (or, when invalid, the first neutral one). */
  assignment?: Record<string, number>;
  /** The Pauling test passed only because χ is missing for an element (CDVAE's TypeError rule). */
  electronegativityMissing?: true;
  /** Elements the tables do not know, or that have no oxidation states. */
  elements?: string[];
  /** Neutral assignments looked at (non-neutral ones are pruned before they are complete). */
  assignmentsChecked: number;
}

export interface MatganResult extends SmactResult {
  chargeNeutral: boolean;
  electronegativityBalanced: boolean;
}

export interface SmactOptions {
  /** Stop after visiting this many nodes of the assignment tree (default 1,000,000). */
  maxAssignments?: number;
  /** How a missing Pauling χ counts in the pair test (CDVAE: 'pass'; current SMACT: 'fail'). */
  missingElectronegativity?: 'pass' | 'fail';
}

const DEFAULT_MAX_ASSIGNMENTS = 1_000_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return Math.abs(a);
}

function isInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) < 1e-8;
}

/** Divides integer counts by their gcd; fractional counts stay as they are. */
export function gcdReduce(counts: readonly number[]): number[] {
  if (!counts.every(isInteger)) return [...counts];
  const g = counts.reduce((acc, n) => gcd(acc, Math.round(n)), 0) || 1;
  return counts.map((n) => Math.round(n) / g);
}

type PaulingOutcome = 'pass' | 'fail' | 'missing';

/**
 * SMACT's eneg_states_test: for every pair (in combinations order) with opposite signs, the
 * cation's χ must be strictly lower than the anion's. 'missing' = the reference would have hit a
 * None in a comparison at this pair.
 */
export function paulingTest(states: readonly number[], electronegativities: readonly (number | undefined)[]): PaulingOutcome {
  for (let a = 0; a < states.length; a++) {
    for (let b = a + 1; b < states.length; b++) {
      const oppositeSigns = (states[a] > 0 && states[b] < 0) || (states[a] < 0 && states[b] > 0);
      if (!oppositeSigns) continue;
      const [ea, eb] = [electronegativities[a], electronegativities[b]];
      if (ea === undefined || eb === undefined) return 'missing';
      const [cation, anion] = states[a] > 0 ? [ea, eb] : [eb, ea];
      if (cation >= anion) return 'fail';
    }
  }
  return 'pass';
}

interface Search {
  symbols: string[];
  counts: number[];
  states: (readonly number[])[];
  /** Accepts a neutral assignment: true stops the search. */
  accept: (assignment: number[]) => boolean;
  max: number;
}

/** Depth-first product enumeration with charge-range pruning. Returns leaves visited and whether it was capped. */
function searchNeutral(search: Search): { checked: number; capped: boolean } {
  const n = search.symbols.length;
  const scale = Math.max(...search.counts.map(Math.abs), 1);
  const tolerance = 1e-8 * scale;
  // Reachable charge range of elements i..n-1, for pruning.
  const minRest = new Array<number>(n + 1).fill(0);
  const maxRest = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const values = search.states[i].map((s) => s * search.counts[i]);
    minRest[i] = minRest[i + 1] + Math.min(...values);
    maxRest[i] = maxRest[i + 1] + Math.max(...values);
  }
  const chosen = new Array<number>(n).fill(0);
  let checked = 0;
  let nodes = 0;
  let capped = false;
  const visit = (i: number, charge: number): boolean => {
    if (++nodes > search.max) {
      capped = true;
      return true;
    }
    if (charge + minRest[i] > tolerance || charge + maxRest[i] < -tolerance) return false;
    if (i === n) {
      checked++;
      return search.accept(chosen);
    }
    for (const state of search.states[i]) {
      chosen[i] = state;
      if (visit(i + 1, charge + state * search.counts[i])) return true;
    }
    return false;
  };
  visit(0, 0);
  return { checked, capped };
}

function unknownOrStateless(symbols: string[], tables: SmactTables): SmactResult | undefined {
  const unknown = symbols.filter((s) => !tables.oxidationStates.has(s));
  if (unknown.length) return { valid: false, reason: 'unknown-element', elements: unknown, assignmentsChecked: 0 };
  const stateless = symbols.filter((s) => (tables.oxidationStates.get(s) ?? []).length === 0);
  if (stateless.length) return { valid: false, reason: 'no-oxidation-states', elements: stateless, assignmentsChecked: 0 };
  return undefined;
}

function toRecord(symbols: string[], states: number[]): Record<string, number> {
  return Object.fromEntries(symbols.map((s, i) => [s, states[i]]));
}

interface Found {
  valid?: number[];
  validMissingChi?: boolean;
  firstNeutral?: number[];
}

function findAssignment(symbols: string[], counts: number[], tables: SmactTables, options: SmactOptions): { found: Found; checked: number; capped: boolean } {
  const chi = symbols.map((s) => tables.electronegativity.get(s));
  const missingPasses = (options.missingElectronegativity ?? 'pass') === 'pass';
  const found: Found = {};
  const { checked, capped } = searchNeutral({
    symbols,
    counts,
    states: symbols.map((s) => tables.oxidationStates.get(s) ?? []),
    max: options.maxAssignments ?? DEFAULT_MAX_ASSIGNMENTS,
    accept: (assignment) => {
      found.firstNeutral ??= [...assignment];
      const outcome = paulingTest(assignment, chi);
      if (outcome === 'fail' || (outcome === 'missing' && !missingPasses)) return false;
      found.valid = [...assignment];
      if (outcome === 'missing') found.validMissingChi = true;
      return true;
    },
  });
  return { found, checked, capped };
}

function assignmentResult(symbols: string[], found: Found, checked: number, capped: boolean): SmactResult {
  if (found.valid) {
    const result: SmactResult = { valid: true, reason: 'neutral-and-electronegativity-balanced', assignment: toRecord(symbols, found.valid), assignmentsChecked: checked };
    if (found.validMissingChi) result.electronegativityMissing = true;
    return result;
  }
  if (capped) return { valid: false, reason: 'search-capped', assignmentsChecked: checked };
  if (found.firstNeutral) {
    return { valid: false, reason: 'neutral-but-not-electronegativity-balanced', assignment: toRecord(symbols, found.firstNeutral), assignmentsChecked: checked };
  }
  return { valid: false, reason: 'no-neutral-assignment', assignmentsChecked: checked };
}

/** CDVAE's compositional validity (SMACT 2014 table, alloy shortcut, missing χ passes). */
export function cdvaeCompositionValidity(composition: Readonly<Record<string, number>>, tables: SmactTables, options: SmactOptions = {}): SmactResult {
  const symbols = Object.keys(composition).filter((s) => composition[s] > 0);
  if (symbols.length === 1) return { valid: true, reason: 'single-element', assignmentsChecked: 0 };
  if (symbols.length > 0 && symbols.every((s) => tables.metals.has(s))) return { valid: true, reason: 'all-metals', assignmentsChecked: 0 };
  const problem = unknownOrStateless(symbols, tables);
  if (problem) return problem;
  const counts = gcdReduce(symbols.map((s) => composition[s]));
  const { found, checked, capped } = findAssignment(symbols, counts, tables, { missingElectronegativity: 'pass', ...options });
  return assignmentResult(symbols, found, checked, capped);
}

/**
 * MatGAN's charge-neutral (CN) and electronegativity-balanced (EB) checks on the counts as written;
 * valid = CN and EB for one assignment. One-element formulas pass.
 */
export function matganChemicalValidity(composition: Readonly<Record<string, number>>, tables: SmactTables, options: SmactOptions = {}): MatganResult {
  const symbols = Object.keys(composition).filter((s) => composition[s] > 0);
  if (symbols.length === 1) {
    return { valid: true, reason: 'single-element', chargeNeutral: true, electronegativityBalanced: true, assignmentsChecked: 0 };
  }
  const problem = unknownOrStateless(symbols, tables);
  if (problem) return { ...problem, chargeNeutral: false, electronegativityBalanced: false };
  const counts = symbols.map((s) => composition[s]);
  const { found, checked, capped } = findAssignment(symbols, counts, tables, { missingElectronegativity: 'fail', ...options });
  const result = assignmentResult(symbols, found, checked, capped);
  return { ...result, chargeNeutral: found.firstNeutral !== undefined, electronegativityBalanced: found.valid !== undefined };
}
