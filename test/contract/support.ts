/** Small helpers shared by the contract suites. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';

export { sleep };

/** Polls `condition` until it holds; fails with `what` after `timeoutMs` (generous: CI is slow). */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Runs `body` with a fresh fixture and always cleans it up. */
export async function withFixture<F extends { cleanup(): Promise<void> }>(
  factory: () => Promise<F>,
  body: (fixture: F) => Promise<void>,
): Promise<void> {
  const fixture = await factory();
  try {
    await body(fixture);
  } finally {
    await fixture.cleanup();
  }
}

/** Reads a stream to the end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A promise with its resolve function, for handlers a test releases later. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
