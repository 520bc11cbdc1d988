/**
 * Ends a request whose body arrives too slowly. REQUEST_TIMEOUT_MS gives a call 16 minutes,
 * as SvarUt does, for a 350 MB letter on a slow line; without more, every door gave anyone
 * those 16 minutes: a review held 1 000 sockets open with one byte of a login form every 15 s
 * (nothing but the 16 minutes ended them), and with the file descriptors spent, senders'
 * calls failed and nothing was logged. Now a body must keep coming: after a grace period, at
 * least `minBytesPerSecond` on average since the request began. A real upload, however
 * large, runs far above it; a trickle is cut after the grace period plus what its bytes
 * bought. The request's stream ends in an error, so the door refuses it as an aborted upload
 * and nothing is stored. Bodies the node itself has not asked for yet (a door checking the
 * password first) count as arriving: the grace period is far longer than those waits.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How slow a body may come. */
export interface SlowBodyRule {
  /** Time a request has before its rate counts (its headers' time included). */
  readonly graceMs: number;
  /** Average body bytes a second the request must keep up after the grace period. */
  readonly minBytesPerSecond: number;
}

/** 60 s, then 8 KiB/s: a 350 MB letter would need 12 hours at that rate. */
export const SLOW_BODY_RULE: SlowBodyRule = { graceMs: 60_000, minBytesPerSecond: 8 * 1024 };

/** When the request must have had `received` bytes by, counted from its start. */
export function bodyDeadlineMs(received: number, rule: SlowBodyRule): number {
  return rule.graceMs + (received / rule.minBytesPerSecond) * 1000;
}

/**
 * Watches each request of `server` while its body is incomplete; `onEnded` hears of each one
 * ended for its pace (for the log and a metric).
 */
export function endSlowBodies(
  server: Server,
  rule: SlowBodyRule,
  onEnded: (req: IncomingMessage) => void,
  now: () => number = Date.now,
): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const started = now();
    const bytesAtStart = socket.bytesRead;
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => clearTimeout(timer);
    const check = (): void => {
      if (req.complete || socket.destroyed) return;
      const elapsed = now() - started;
      const due = bodyDeadlineMs(socket.bytesRead - bytesAtStart, rule);
      if (elapsed < due) {
        timer = setTimeout(check, Math.max(1000, due - elapsed)).unref();
        return;
      }
      onEnded(req);
      socket.destroy();
    };
    timer = setTimeout(check, rule.graceMs).unref();
    req.once('end', stop);
    // A door that answered before reading the body (a 401) leaves Node reading the rest: still
    // watched then, so a trickle after the answer is cut too.
    res.once('close', () => {
      if (req.complete) stop();
    });
  });
}
