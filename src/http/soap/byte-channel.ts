/**
 * A bounded push-to-pull bridge: the synchronous XML parser pushes decoded `<data>` bytes
 * in, `BlobStore.put` pulls them out as an async iterable. The producer awaits `drained()`
 * whenever more than `highWaterMark` bytes wait, so a 300 MB inline document never sits
 * in memory whole.
 */

/** A byte queue with back-pressure; iterate it once. */
export class ByteChannel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private producerError: unknown;
  private consumerError: unknown;
  private consumerGone = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly highWaterMark = 1024 * 1024) {}

  /** Queues bytes for the consumer. Throws if the consumer stopped or failed. */
  push(bytes: Uint8Array): void {
    if (this.consumerGone) throw this.consumerFailure();
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.wake();
  }

  /** True when the producer should await `drained()` before pushing more. */
  get full(): boolean {
    return this.queued >= this.highWaterMark || this.consumerGone;
  }

  /** Resolves once the queue is below the high-water mark; rejects if the consumer failed. */
  async drained(): Promise<void> {
    while (this.queued >= this.highWaterMark && !this.consumerGone) {
      await new Promise<void>((resolve) => {
        this.wakeProducer = resolve;
      });
    }
    if (this.consumerGone) throw this.consumerFailure();
  }

  /** No more bytes: the consumer's iteration ends once the queue is empty. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The producer failed: the consumer's next read throws `error` (so a blob put aborts). */
  abort(error: unknown): void {
    this.producerError = error ?? new Error('aborted');
    this.ended = true;
    this.queue.length = 0;
    this.queued = 0;
    this.wake();
  }

  /** The consumer failed (e.g. the blob store refused): the producer's next push or drain throws. */
  fail(error: unknown): void {
    this.consumerError = error;
    this.consumerGone = true;
    this.wake();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        for (;;) {
          if (this.producerError !== undefined) throw this.producerError;
          if (this.queue.length > 0) {
            // Everything waiting goes out as one chunk: fewer, larger writes downstream.
            const chunk =
              this.queue.length === 1 ? (this.queue[0] as Uint8Array) : Buffer.concat(this.queue, this.queued);
            this.queue.length = 0;
            this.queued = 0;
            this.wake();
            return { done: false, value: chunk };
          }
          if (this.ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => {
            this.wakeConsumer = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        this.consumerGone = true;
        this.queue.length = 0;
        this.queued = 0;
        this.wake();
        return { done: true, value: undefined };
      },
    };
  }

  private wake(): void {
    const consumer = this.wakeConsumer;
    const producer = this.wakeProducer;
    this.wakeConsumer = undefined;
    this.wakeProducer = undefined;
    consumer?.();
    producer?.();
  }

  private consumerFailure(): Error {
    if (this.consumerError instanceof Error) return this.consumerError;
    return new Error('Dokumentlageret sluttet å lese dokumentet');
  }
}
