/**
 * The forsendelse actor: the single place where a forsendelse's state changes (besides a
 * new letter's first write, ForsendelseActors.create). It loads (nact replays the journal),
 * decides (pure), then writes the change: the events, the pending work as jobs and the
 * read-model record, through the ChangeWriter — one transaction on SQLite; elsewhere in
 * that order, so that a projected record always has its jobs queued, and a crash in
 * between is repaired when the actor next wakes.
 */
import { decide } from '../domain/decide.js';
import type { ForsendelseCommand } from '../domain/commands.js';
import type { ForsendelseEvent } from '../domain/events.js';
import { evolve, type ForsendelseState } from '../domain/forsendelse-state.js';
import { pendingWork, type WorkPolicy } from '../domain/pending-work.js';
import { toRecord } from '../domain/record.js';
import {
  ChangeIncompleteError,
  SequenceConflictError,
  type ChangeWriter,
  type ForsendelseChange,
  type JobQueue,
  type JobSpec,
  type Journal,
  type Json,
  type ReadModel,
} from '../storage/ports.js';
import { DEFAULT_SETTLE_MS, orderedChangeWriter } from '../storage/ordered-change-writer.js';
import { withinMs } from '../storage/time-bound.js';
import { tell, type ActorRef, type CrashDecision, type PersistentBehaviour } from './runtime.js';

/** The outcome of a command, sent to `replyTo`. */
export type CommandReply =
  | { readonly ok: true; readonly state: ForsendelseState | undefined; readonly events: readonly ForsendelseEvent[] }
  | { readonly ok: false; readonly error: unknown };

/** A message to a forsendelse actor. `command` absent = just wake (repair effects). */
export interface ForsendelseMessage {
  readonly command?: ForsendelseCommand;
  readonly replyTo?: ActorRef<CommandReply>;
  /** Blobs the forsendelse claims in the same write as the command's events (none when it decides nothing). */
  readonly claims?: readonly string[];
  /** How many times a sequence conflict has sent this message round again. */
  readonly attempt?: number;
}

/** Actor state: the forsendelse (undefined until Mottatt) and bookkeeping. */
export interface ActorState {
  /** The forsendelse's id, given at spawn (absent in snapshots from before it was kept). */
  readonly id?: string;
  readonly forsendelse: ForsendelseState | undefined;
  readonly seq: number;
  /** True once this incarnation has repaired projection and jobs after recovery. */
  readonly synced: boolean;
}

/** What the actor needs besides its journal. */
export interface ForsendelseActorDeps {
  /**
   * To notice writes by another node before answering from memory; to write a snapshot
   * every `snapshotEvery` events; and, without `changes`, to append events.
   */
  readonly journal: Pick<Journal, 'highestSeq' | 'append' | 'saveSnapshot'>;
  readonly readModel: ReadModel;
  readonly jobs: JobQueue;
  /**
   * Writes a command's events, jobs and record together (one transaction where the store
   * allows); absent: journal, jobs and read model one after another (orderedChangeWriter).
   */
  readonly changes?: ChangeWriter;
  readonly policy: WorkPolicy;
  /**
   * How long the repair on waking may wait for the job queue (DEFAULT_SETTLE_MS): Redis away
   * (ioredis retries ~100 s) must not hold the letter's every command until the caller gives up.
   */
  readonly repairWithinMs?: number;
  /** Called after a command's events are stored (metrics, logs), with the state before them. */
  readonly onEvents?: (
    state: ForsendelseState,
    events: readonly ForsendelseEvent[],
    before: ForsendelseState | undefined,
  ) => void;
}

/** The actor's initial state. */
export const INITIAL_ACTOR_STATE: ActorState = { forsendelse: undefined, seq: 0, synced: false };

/** Max rounds after sequence conflicts before a command fails. */
const MAX_CONFLICT_ATTEMPTS = 5;

/**
 * The jobs `state` still needs, with deterministic ids (enqueuing them again is a no-op).
 * Work due now carries the letter's arrival as its due time: due at once all the same,
 * and since the embedded queue runs due jobs oldest due time first, a letter's next step
 * (print, notify) goes before the first steps of letters that came in after it. Letters
 * are finished in the order they came, and behind a backlog of compose jobs the print
 * jobs' file writes run while the PDF thread composes, instead of after the last compose
 * with the PDF thread idle (bench/README.md, `sustained_ratio`). Timed work (deadline,
 * reminder, purge) keeps its own time.
 */
export function pendingJobs(state: ForsendelseState, policy: WorkPolicy): JobSpec[] {
  return pendingWork(state, policy).map((work) => ({
    id: work.key === undefined ? `${work.kind}:${state.id}` : `${work.kind}:${state.id}:${work.key}`,
    type: work.kind,
    payload: { forsendelseId: state.id },
    runAt: work.runAt ?? state.mottattAt,
  }));
}

/** Queues every job the state still needs; ids are deterministic so this is idempotent. */
export async function enqueuePendingWork(jobs: JobQueue, state: ForsendelseState, policy: WorkPolicy): Promise<void> {
  for (const job of pendingJobs(state, policy)) await jobs.enqueue(job);
}

/**
 * The change that `events` make to a forsendelse whose journal holds `seq` events and whose
 * state is `before`: the events as journal rows (seq + 1, …), the jobs and the record of the
 * state after them, which is returned with it.
 */
export function changeOf(
  before: ForsendelseState | undefined,
  seq: number,
  events: readonly ForsendelseEvent[],
  policy: WorkPolicy,
  createdAt: number,
): { change: ForsendelseChange; state: ForsendelseState } {
  let state = before;
  for (const event of events) state = evolve(state, event);
  if (state === undefined) throw new Error('Hendelsene ga ingen forsendelse');
  const key = `forsendelse:${state.id}`;
  return {
    state,
    change: {
      events: events.map((event, i) => ({
        key,
        seq: seq + 1 + i,
        data: event as unknown as Json,
        tags: [],
        createdAt,
      })),
      jobs: pendingJobs(state, policy),
      record: toRecord(state, seq + events.length),
    },
  };
}

/** Brings read model and jobs up to date with the state (used on wake and after changes). */
async function applyEffects(deps: ForsendelseActorDeps, state: ForsendelseState, seq: number): Promise<void> {
  await enqueuePendingWork(deps.jobs, state, deps.policy);
  await deps.readModel.upsert(toRecord(state, seq));
}

/** The repair on waking ran past its wait. */
class RepairLate extends Error {}

/**
 * Brings jobs and record up to date with the journal, as a crash may have left them; false
 * when the job queue did not answer within the wait: the command goes on, and the next
 * message (or the sweep) repairs again, since jobs and records are written idempotently.
 */
async function repairedInTime(deps: ForsendelseActorDeps, state: ForsendelseState, seq: number): Promise<boolean> {
  const repair = async (): Promise<void> => {
    const projected = (await deps.readModel.projectedSeq([state.id])).get(state.id) ?? 0;
    if (projected < seq) await applyEffects(deps, state, seq);
    else await enqueuePendingWork(deps.jobs, state, deps.policy);
  };
  try {
    await withinMs(repair(), deps.repairWithinMs ?? DEFAULT_SETTLE_MS, () => new RepairLate());
    return true;
  } catch (error) {
    if (error instanceof RepairLate) return false;
    throw error;
  }
}

/**
 * The behaviour of a forsendelse actor. It writes its own snapshot of the state every
 * `snapshotEvery` events (nact's counts its persist calls, which this actor does not make).
 */
export function forsendelseBehaviour(
  deps: ForsendelseActorDeps,
  snapshotEvery?: number,
): PersistentBehaviour<ActorState, ForsendelseMessage, ForsendelseEvent> {
  const changes =
    deps.changes ??
    orderedChangeWriter({
      journal: deps.journal,
      jobs: deps.jobs,
      readModel: deps.readModel,
      blobs: {
        claim: () => Promise.reject(new Error('Ingen blob-lager å gjøre krav med')),
      },
    });
  return async (actor, msg, ctx) => {
    if (ctx.recovering) {
      const event = msg as ForsendelseEvent;
      return { ...actor, forsendelse: evolve(actor.forsendelse, event), seq: actor.seq + 1 };
    }
    const message = msg as ForsendelseMessage;
    let { forsendelse, seq, synced } = actor;
    const id = forsendelse?.id ?? actor.id;
    if (id !== undefined) {
      // Another node may have written since this actor loaded (any node takes any
      // request), or a new letter was written without an actor (ForsendelseActors.create):
      // a stale actor reloads (crash policy: resend + reset) instead of answering or
      // deciding from memory.
      const key = `forsendelse:${id}`;
      if ((await deps.journal.highestSeq(key)) > seq) throw new SequenceConflictError(key, seq + 1);
    }
    // First message since the actor woke: repair whatever a crash may have interrupted.
    if (!synced) synced = forsendelse === undefined || (await repairedInTime(deps, forsendelse, seq));
    if (message.command === undefined) {
      if (message.replyTo) tell(message.replyTo, { ok: true, state: forsendelse, events: [] });
      return { forsendelse, seq, synced };
    }
    const before = forsendelse;
    let events: ForsendelseEvent[];
    try {
      events = decide(forsendelse, message.command);
    } catch (error) {
      if (message.replyTo) tell(message.replyTo, { ok: false, error });
      return { forsendelse, seq, synced };
    }
    if (events.length > 0) {
      // Written through the ChangeWriter, not nact's persist: events, jobs and record in one
      // write. nact's own sequence number is then only set by recovery, which is all its
      // snapshots use (they are taken only at the end of a recovery: no persist counts down).
      const { change, state } = changeOf(forsendelse, seq, events, deps.policy, Date.now());
      try {
        await changes.write(message.claims === undefined ? change : { ...change, claims: message.claims }); // throws on conflict: the crash policy reloads and retries
      } catch (error) {
        // The events are stored, their jobs and record not yet (the job queue is away): the
        // change has happened, and the caller is told so, not that it failed. The next
        // message's repair, or the sweep, completes it (found in review: a SvarInn receipt
        // was recorded and answered 500).
        if (!(error instanceof ChangeIncompleteError)) throw error;
        synced = false;
      }
      forsendelse = state;
      const seqBefore = seq;
      seq += events.length;
      deps.onEvents?.(forsendelse, events, before);
      if (
        snapshotEvery !== undefined &&
        snapshotEvery > 0 &&
        Math.floor(seq / snapshotEvery) > Math.floor(seqBefore / snapshotEvery)
      ) {
        // As nact stores one (PersistedSnapshot of the actor state); a failure only costs a longer replay.
        const data = { id: actor.id ?? forsendelse.id, forsendelse, seq, synced: false } as unknown as Json;
        await deps.journal
          .saveSnapshot({ key: `forsendelse:${forsendelse.id}`, seq, data, createdAt: Date.now() })
          .catch(() => undefined);
      }
    }
    if (message.replyTo) tell(message.replyTo, { ok: true, state: forsendelse, events });
    return { forsendelse, seq, synced };
  };
}

/**
 * Crash policy. A sequence conflict means another writer (another node, or a stale
 * incarnation) stored an event first: send the message round again and reset, which
 * re-reads the journal before the mailbox is processed. Any other failure (the journal
 * or read model is down) answers the caller with the error and resets too, because
 * nact's sequence counter may already have moved past what was stored.
 */
export function forsendelseCrashPolicy(
  msg: ForsendelseMessage | undefined,
  error: unknown,
  self: ActorRef<ForsendelseMessage>,
): CrashDecision {
  // A stored event that cannot be replayed: resetting would replay it again forever.
  // Stop; the next command starts a fresh actor and fails visibly instead of spinning.
  if (msg !== undefined && 'type' in msg) return 'stop';
  if (msg !== undefined && error instanceof SequenceConflictError && (msg.attempt ?? 0) < MAX_CONFLICT_ATTEMPTS) {
    tell(self, { ...msg, attempt: (msg.attempt ?? 0) + 1 });
    return 'reset';
  }
  if (msg?.replyTo) tell(msg.replyTo, { ok: false, error });
  return 'reset';
}
