/**
 * Runs `task` now and then every `intervalMs`, never two at once (a slow sweep is not stacked),
 * without keeping the process alive. Sweeps report their own errors; this only keeps going.
 */
export function startPeriodic(task: (first: boolean) => Promise<void>, intervalMs: number, onError: (err: Error) => void, opts: { runNow?: boolean } = {}): { stop(): void; ready: Promise<void> } {
  let running = false;
  const tick = async (first: boolean) => {
    if (running) return;
    running = true;
    try { await task(first); } catch (err) { onError(err as Error); } finally { running = false; }
  };
  const ready = opts.runNow === false ? Promise.resolve() : tick(true);
  const timer = setInterval(() => void tick(false), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), ready };
}
