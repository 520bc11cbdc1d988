/**
 * A nact persistence engine over the `Journal` port. nact calls `persist` once per event
 * with its own sequence number; the journal's (key, seq) uniqueness turns a write by a
 * stale actor (another node got there first) into a SequenceConflictError.
 */
import type { Journal, Json } from '../storage/ports.js';

/** The shape nact hands to `persist` (nact's PersistedEvent). */
interface NactPersistedEvent {
  readonly data: unknown;
  readonly sequenceNumber: number;
  readonly key: string;
  readonly tags: string[];
  readonly createdAt: number;
}

/** The shape nact hands to `takeSnapshot` (nact's PersistedSnapshot). */
interface NactPersistedSnapshot {
  readonly data: unknown;
  readonly sequenceNumber: number;
  readonly key: string;
  readonly createdAt: number;
}

/** An event as nact reads it back during recovery. */
interface NactReplayedEvent {
  readonly data: unknown;
  readonly sequenceNumber: number;
  readonly key: string;
  readonly tags: string[];
  readonly createdAt: number;
  readonly isDeleted: boolean;
}

/** What nact's recovery needs of `events()`: something with an (async-friendly) reduce. */
interface Reducible<T> {
  reduce<A>(f: (acc: A, item: T, index: number) => A, initial: A): Promise<A>;
}

/** The duck-typed engine nact's `configurePersistence` accepts. */
export interface PersistenceEngine {
  events(key: string, offset: number): Reducible<NactReplayedEvent>;
  persist(event: NactPersistedEvent): Promise<void>;
  latestSnapshot(key: string): Promise<NactPersistedSnapshot | undefined>;
  takeSnapshot(snapshot: NactPersistedSnapshot): Promise<void>;
}

/** Builds the engine; every read and write goes through `journal`. */
export function journalPersistenceEngine(journal: Journal): PersistenceEngine {
  return {
    events(key, offset) {
      return {
        async reduce(f, initial) {
          const events = await journal.read(key, offset);
          return events
            .map((e) => ({
              data: e.data,
              sequenceNumber: e.seq,
              key: e.key,
              tags: [...e.tags],
              createdAt: e.createdAt,
              isDeleted: false,
            }))
            .reduce(f, initial);
        },
      };
    },
    async persist(event) {
      await journal.append([
        {
          key: event.key,
          seq: event.sequenceNumber,
          data: event.data as Json,
          tags: event.tags,
          createdAt: event.createdAt,
        },
      ]);
    },
    async latestSnapshot(key) {
      const s = await journal.latestSnapshot(key);
      return s === undefined ? undefined : { data: s.data, sequenceNumber: s.seq, key: s.key, createdAt: s.createdAt };
    },
    async takeSnapshot(snapshot) {
      await journal.saveSnapshot({
        key: snapshot.key,
        seq: snapshot.sequenceNumber,
        data: snapshot.data as Json,
        createdAt: snapshot.createdAt,
      });
    },
  };
}
