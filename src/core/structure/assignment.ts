// Minimum-cost perfect assignment (Hungarian method with potentials, O(n³)) for square cost
// matrices. Forbidden pairs carry Infinity; the result says whether a finite assignment exists.
// Web-safe.

export interface Assignment {
  /** column[i] = the column assigned to row i. */
  column: number[];
  /** Sum of the chosen costs (Infinity when no finite assignment exists). */
  cost: number;
}

/** Large finite stand-in for forbidden pairs, so the potentials stay finite. */
const FORBIDDEN = 1e30;

export function solveAssignment(cost: number[][]): Assignment {
  const n = cost.length;
  if (n === 0) return { column: [], cost: 0 };
  const c = (i: number, j: number): number => (Number.isFinite(cost[i][j]) ? cost[i][j] : FORBIDDEN);
  // 1-based arrays: u (rows), v (columns), p[j] = row matched to column j, way = augmenting path.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = c(i0 - 1, j - 1) - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const column = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) column[p[j] - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += Number.isFinite(cost[i][column[i]]) ? cost[i][column[i]] : Infinity;
  return { column, cost: total };
}
