// What one loop remembers between steps.
import type { CheckVerdict } from './completion-check.ts';
import { StepHistory } from './history.ts';
import { LoopGuard } from './loop-guard.ts';
import { SubmissionLog } from './submissions.ts';

export class LoopState {
  readonly history = new StepHistory();
  readonly guard: LoopGuard;
  /** What this loop sent to servers, so it is not sent twice. */
  readonly submissions = new SubmissionLog();
  /** Latest successful extraction and the page state it was taken from. */
  extraction?: { value: unknown; fingerprint: string };
  lastVerdict?: CheckVerdict;
  /** The acting model's latest "thoughts", for a max-steps reason when no checker ever ran. */
  lastThoughts?: string;
  private notes: string[] = [];
  private readonly writes = new Set<Promise<void>>();
  private writeError: unknown;

  constructor(loopThreshold: number) {
    this.guard = new LoopGuard(loopThreshold);
  }

  /** A message for the next prompt only (checker feedback, dialogs, warnings). */
  addNote(note: string): void {
    if (!this.notes.includes(note)) this.notes.push(note);
  }

  takeNotes(): string[] {
    const notes = this.notes;
    this.notes = [];
    return notes;
  }

  /**
   * A finished step's record (artifact uploads, the step row, run totals) is written while the
   * next step already runs: nothing later in the loop reads it back. The loop drains these before
   * it returns, so a run never ends with step rows still being written.
   */
  deferWrite(write: Promise<void>): void {
    const tracked: Promise<void> = write
      .catch((error: unknown) => { this.writeError ??= error; })
      .finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** Fails the loop as soon as possible when a background write failed (as an awaited one would). */
  throwIfWriteFailed(): void {
    if (this.writeError !== undefined) throw this.writeError;
  }

  async drainWrites(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
    this.throwIfWriteFailed();
  }
}
