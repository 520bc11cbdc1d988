/**
 * A background task run now and then on a timer, one run at a time, that never keeps the
 * process alive and lets shutdown wait for a run in progress. Used by the blob collector
 * and the repair sweep.
 */

/** A running periodic task. */
export interface PeriodicTask {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (and at once unless `runNow` is false), never two at once: a
 * tick while a run is under way is skipped. A failed run goes to `onError`.
 */
export function startPeriodicTask(
  task: () => Promise<void>,
  intervalMs: number,
  onError: (err: unknown) => void,
  options: { readonly runNow?: boolean } = {},
): PeriodicTask {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  // A run that outlasts the interval is not queued behind: the tick is skipped (runs piled up
  // behind a slow one would each run in turn, and stop() would wait for all of them).
  const run = (): void => {
    if (busy) return;
    busy = true;
    running = task()
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  if (options.runNow ?? true) run();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
