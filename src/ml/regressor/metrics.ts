// Regression metrics as the method defines them: MAE, RMSE and R² = 1 − MSE / Var(y).

export interface RegressionMetrics {
  n: number;
  mae: number;
  rmse: number;
  r2: number;
}

export function regressionMetrics(truth: ArrayLike<number>, prediction: ArrayLike<number>): RegressionMetrics {
  const n = truth.length;
  if (n === 0 || prediction.length !== n) throw new Error(`need equal, non-empty arrays (got ${n} and ${prediction.length})`);
  let abs = 0, sq = 0, mean = 0;
  for (let i = 0; i < n; i++) {
    const d = prediction[i] - truth[i];
    abs += Math.abs(d);
    sq += d * d;
    mean += truth[i];
  }
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (truth[i] - mean) ** 2;
  variance /= n;
  const mse = sq / n;
  return { n, mae: abs / n, rmse: Math.sqrt(mse), r2: variance > 0 ? 1 - mse / variance : NaN };
}
