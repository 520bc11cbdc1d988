/**
 * Counts the HTTP requests this node is answering. While any is, the embedded job queue
 * starts no job next to a young one (WorkOptions.foregroundBusy): a caller waits for an
 * acknowledgement, nobody waits for the background work a moment longer.
 */
import type { MiddlewareHandler } from 'hono';

/** The count and the middleware that keeps it. */
export class RequestsInFlight {
  private current = 0;

  /** Requests between their arrival and their handler's answer. */
  get count(): number {
    return this.current;
  }

  /** Counts every request through the app, until its handler has answered (or thrown). */
  middleware(): MiddlewareHandler {
    return async (_c, next) => {
      this.current += 1;
      try {
        await next();
      } finally {
        this.current -= 1;
      }
    };
  }
}
