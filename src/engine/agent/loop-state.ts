// What one loop remembers between steps.
import type { CheckVerdict } from './completion-check.ts';
import { StepHistory } from './history.ts';
import { LoopGuard } from './loop-guard.ts';

export class LoopState {
  readonly history = new StepHistory();
  readonly guard: LoopGuard;
  /** Latest successful extraction and the page state it was taken from. */
  extraction?: { value: unknown; fingerprint: string };
  lastVerdict?: CheckVerdict;
  private notes: string[] = [];

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
}
