/**
 * Admits the intake's whole-file PDF checks (document-inspector.ts, encrypted-document-inspector.ts)
 * within two bounds, fairly between senders:
 * - **bytes**: each check reads its document (up to 16 MB) into memory and hands a copy to a
 *   PDF thread; a hundred sends of 8 × 1 MB at once held every document (+1.3 GB);
 * - **checks**: at most a few per PDF thread. A PDF thread interleaves the checks posted to
 *   it, so each took the sum of all of them on the clock: twenty valid letters of 490 000
 *   objects (3 s each alone) sent at once were refused as "for kompleks" by their time budget,
 *   and a second sender's letter waited 75 s (review of 6 December 2026);
 * - **fairly**: checks wait in one line per sender (`key`); the next to start is the head of
 *   the line whose sender was admitted least recently, so one sender's burst waits behind
 *   itself, not in front of everyone else.
 * A check larger than the whole byte bound runs alone.
 */

/** What the gate admits at once. */
export interface CheckGateLimits {
  readonly bytes: number;
  readonly checks: number;
}

interface Waiting {
  readonly bytes: number;
  readonly start: () => void;
}

export class CheckGate {
  #freeBytes: number;
  #freeChecks: number;
  /** The waiting checks, one line per key. */
  readonly #lines = new Map<string, Waiting[]>();
  /** When each key was last admitted (a counter), since the gate was last empty: the least recent goes next. */
  readonly #lastTurn = new Map<string, number>();
  readonly #running = new Map<string, number>();
  #turns = 0;

  constructor(readonly limits: CheckGateLimits) {
    for (const [name, value] of Object.entries(limits))
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} må være et heltall ≥ 1, fikk ${value}`);
    this.#freeBytes = limits.bytes;
    this.#freeChecks = limits.checks;
  }

  /** Runs `work` for `key` once its `bytes` (at most the byte bound) and a check fit and its turn has come. */
  async run<T>(key: string, bytes: number, work: () => Promise<T>): Promise<T> {
    const held = Number.isFinite(bytes)
      ? Math.min(Math.max(0, Math.ceil(bytes)), this.limits.bytes)
      : this.limits.bytes;
    if (this.#lines.size === 0 && this.#fits(held)) this.#admit(key, held);
    else
      await new Promise<void>((start) => {
        const line = this.#lines.get(key);
        if (line === undefined) this.#lines.set(key, [{ bytes: held, start }]);
        else line.push({ bytes: held, start });
      });
    try {
      return await work();
    } finally {
      this.#freeBytes += held;
      this.#freeChecks += 1;
      const running = (this.#running.get(key) ?? 1) - 1;
      if (running > 0) this.#running.set(key, running);
      else this.#running.delete(key);
      // A sender's turn is remembered while anything runs or waits: forgotten when it went
      // idle between two documents of one letter, it counted as never admitted and went
      // ahead of every line, and a few such senders starved a burst (review). Bounded by
      // the senders seen since the gate was last empty.
      if (this.#running.size === 0 && this.#lines.size === 0) this.#lastTurn.clear();
      this.#startWaiting();
    }
  }

  #fits(bytes: number): boolean {
    return this.#freeChecks > 0 && bytes <= this.#freeBytes;
  }

  #admit(key: string, bytes: number): void {
    this.#freeBytes -= bytes;
    this.#freeChecks -= 1;
    this.#running.set(key, (this.#running.get(key) ?? 0) + 1);
    this.#lastTurn.set(key, ++this.#turns);
  }

  /** Starts waiting checks while the head of the line whose turn it is fits. */
  #startWaiting(): void {
    for (;;) {
      let next: string | undefined;
      for (const key of this.#lines.keys())
        if (next === undefined || (this.#lastTurn.get(key) ?? 0) < (this.#lastTurn.get(next) ?? 0)) next = key;
      if (next === undefined) return;
      const line = this.#lines.get(next) ?? [];
      const head = line[0];
      if (head !== undefined && !this.#fits(head.bytes)) return;
      line.shift();
      if (line.length === 0) this.#lines.delete(next);
      if (head === undefined) continue;
      this.#admit(next, head.bytes);
      head.start();
    }
  }
}
