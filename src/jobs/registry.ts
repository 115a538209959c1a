// Job kind → handler, for the job process (src/jobs/worker.ts). Handlers are loaded lazily so a
// process that runs a featurization never initialises a GAN's model code. Add a kind here when
// its job module lands; the editor's commands and the CLI's job runner use the same handlers.
import type { JobKind } from './protocol';
import type { JobHandler } from './types';

/** Loads a job handler on first use. */
export type JobLoader = () => Promise<JobHandler>;

export type JobRegistry = Readonly<Record<string, JobLoader>>;

/** The job kinds the shipped job process can run (a subset of RunKind in src/runs/types.ts). */
export const jobRegistry = {
  // Each handler checks its own params (they are plain JSON from the host), hence the casts.
  'composition-gan': async () => (await import('./compositionGanJob')).trainCompositionGanJob as unknown as JobHandler,
  'crystal-gan': async () => (await import('./crystalGanJob')).crystalGanJob as unknown as JobHandler,
  'generate-crystals': async () => (await import('./generateCrystalsJob')).generateCrystalsJob as unknown as JobHandler,
} satisfies Record<JobKind, JobLoader>;

export function jobKinds(registry: JobRegistry = jobRegistry): string[] {
  return Object.keys(registry).sort();
}
