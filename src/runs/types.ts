// The run folder contract (one folder per run), read by the CLI, the job process and the editor:
//   run.json        RunInfo below (atomic rewrite: temporary file + rename)
//   metrics.jsonl   one MetricsRecord per line (append; a torn last line is ignored on read)
//   checkpoints/    model + optimizer state; `latest` names the last complete one
//   generated/      CIF / CSV outputs
//   embeddings.json (composition GAN) the critic's element embeddings for the `gan` featurizer

export type RunKind = 'composition-gan' | 'crystal-gan' | 'featurize' | 'generate-compositions' | 'generate-crystals' | 'predict' | 'evaluate-crystals';

export type RunStatus = 'created' | 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface RunInfo {
  id: string;
  kind: RunKind;
  status: RunStatus;
  /** ISO timestamps. */
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** The job's parameters (hyperparameters, data file, seed …). */
  config: Record<string, unknown>;
  /** The TensorFlow.js backend that actually ran, e.g. "wasm", and why others were skipped. */
  backend?: { name: string; notes: string[] };
  /** Set when status is failed or interrupted. */
  error?: string;
  /** Rows the data loader skipped, by reason (see src/core/data/csv.ts). */
  skippedRows?: { reason: string; count: number; examples: { file: string; line: number; value?: string }[] }[];
  /** Best or final figures for the run history, e.g. { heldOutCriticLoss: 0.31 }. */
  summary?: Record<string, number | string>;
  /** How many times the run was resumed. */
  resumes?: number;
  /** Process id of the job process while running (to spot runs whose process died). */
  pid?: number;
}
