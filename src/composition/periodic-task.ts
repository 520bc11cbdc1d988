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

/** Runs `task` every `intervalMs` (and at once unless `runNow` is false); a failed run goes to `onError`. */
export function startPeriodicTask(
  task: () => Promise<void>,
  intervalMs: number,
  onError: (err: unknown) => void,
  options: { readonly runNow?: boolean } = {},
): PeriodicTask {
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = running.then(task).catch(onError);
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
