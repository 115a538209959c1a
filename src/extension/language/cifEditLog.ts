// The content changes of large CIFs since the CIF worker last answered for them, so an edit sends
// the worker a few characters instead of the document (see CifModelStore.readInWorker). No vscode
// import: unit-tested in test/language.cifEditLog.test.ts.
import type { VersionEdits } from './cifWorkerProtocol';

/** Above this much pending edit text (or this many versions) the worker is sent the whole text instead. */
const EDIT_LOG_MAX_CHARS = 1_000_000;
const EDIT_LOG_MAX_STEPS = 2_000;

/**
 * What the worker needs to bring its copy of a document up to date: the content changes of every
 * version since the last one it answered for. Sending them instead of the text keeps the host from
 * building and copying megabytes per keystroke; the worker re-reads only the blocks they touch.
 */
export class EditLog {
  private readonly steps = new Map<string, VersionEdits[]>();
  private readonly chars = new Map<string, number>();
  /** The version the worker last answered for, by document. */
  private readonly held = new Map<string, number>();

  record(key: string, version: number, edits: VersionEdits['edits']): void {
    if (!this.held.has(key)) return;
    const steps = this.steps.get(key) ?? [];
    const chars = (this.chars.get(key) ?? 0) + edits.reduce((sum, e) => sum + e.text.length, 0);
    steps.push({ version, edits });
    if (chars > EDIT_LOG_MAX_CHARS || steps.length > EDIT_LOG_MAX_STEPS) return this.forget(key);
    this.steps.set(key, steps);
    this.chars.set(key, chars);
  }

  /** The worker answered for `version`: older steps are no longer needed. */
  confirm(key: string, version: number): void {
    this.held.set(key, version);
    const steps = (this.steps.get(key) ?? []).filter((step) => step.version > version);
    this.steps.set(key, steps);
    this.chars.set(key, steps.reduce((sum, step) => sum + step.edits.reduce((n, e) => n + e.text.length, 0), 0));
  }

  /** Steps from the held version to `version`, one per version; undefined when there is a gap. */
  stepsTo(key: string, version: number): VersionEdits[] | undefined {
    const held = this.held.get(key);
    if (held === undefined || held >= version) return undefined;
    const steps = (this.steps.get(key) ?? []).filter((step) => step.version <= version);
    const contiguous = steps.length === version - held && steps.every((step, i) => step.version === held + i + 1);
    return contiguous ? steps : undefined;
  }

  forget(key: string): void {
    this.steps.delete(key);
    this.chars.delete(key);
    this.held.delete(key);
  }
}
