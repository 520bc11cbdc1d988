/**
 * The forsendelse actor: the single place where a forsendelse's state changes. It loads
 * (nact replays the journal), decides (pure), persists, then runs the effects: queue the
 * pending work and update the read model — in that order, so that a projected record
 * always has its jobs queued. A crash in between is repaired when the actor next wakes.
 */
import { decide } from '../domain/decide.js';
import type { ForsendelseCommand } from '../domain/commands.js';
import type { ForsendelseEvent } from '../domain/events.js';
import { evolve, type ForsendelseState } from '../domain/forsendelse-state.js';
import { pendingWork, type WorkPolicy } from '../domain/pending-work.js';
import { toRecord } from '../domain/record.js';
import { SequenceConflictError, type JobQueue, type Journal, type ReadModel } from '../storage/ports.js';
import { tell, type ActorRef, type CrashDecision, type PersistentBehaviour } from './runtime.js';

/** The outcome of a command, sent to `replyTo`. */
export type CommandReply =
  | { readonly ok: true; readonly state: ForsendelseState | undefined; readonly events: readonly ForsendelseEvent[] }
  | { readonly ok: false; readonly error: unknown };

/** A message to a forsendelse actor. `command` absent = just wake (repair effects). */
export interface ForsendelseMessage {
  readonly command?: ForsendelseCommand;
  readonly replyTo?: ActorRef<CommandReply>;
  /** How many times a sequence conflict has sent this message round again. */
  readonly attempt?: number;
}

/** Actor state: the forsendelse (undefined until Mottatt) and bookkeeping. */
export interface ActorState {
  readonly forsendelse: ForsendelseState | undefined;
  readonly seq: number;
  /** True once this incarnation has repaired projection and jobs after recovery. */
  readonly synced: boolean;
}

/** What the actor needs besides its journal. */
export interface ForsendelseActorDeps {
  /** To notice writes by another node before answering from memory. */
  readonly journal: Pick<Journal, 'highestSeq'>;
  readonly readModel: ReadModel;
  readonly jobs: JobQueue;
  readonly policy: WorkPolicy;
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

/** Queues every job the state still needs; ids are deterministic so this is idempotent. */
export async function enqueuePendingWork(jobs: JobQueue, state: ForsendelseState, policy: WorkPolicy): Promise<void> {
  for (const work of pendingWork(state, policy)) {
    await jobs.enqueue({
      id: `${work.kind}:${state.id}`,
      type: work.kind,
      payload: { forsendelseId: state.id },
      runAt: work.runAt,
    });
  }
}

/** Brings read model and jobs up to date with the state (used on wake and after changes). */
async function applyEffects(deps: ForsendelseActorDeps, state: ForsendelseState, seq: number): Promise<void> {
  await enqueuePendingWork(deps.jobs, state, deps.policy);
  await deps.readModel.upsert(toRecord(state, seq));
}

/** The behaviour of a forsendelse actor. */
export function forsendelseBehaviour(
  deps: ForsendelseActorDeps,
): PersistentBehaviour<ActorState, ForsendelseMessage, ForsendelseEvent> {
  return async (actor, msg, ctx) => {
    if (ctx.recovering) {
      const event = msg as ForsendelseEvent;
      return { ...actor, forsendelse: evolve(actor.forsendelse, event), seq: actor.seq + 1 };
    }
    const message = msg as ForsendelseMessage;
    let { forsendelse, seq, synced } = actor;
    if (forsendelse !== undefined) {
      // Another node may have written since this actor loaded (any node takes any
      // request): a stale actor reloads (crash policy: resend + reset) instead of
      // answering or deciding from memory.
      const key = `forsendelse:${forsendelse.id}`;
      if ((await deps.journal.highestSeq(key)) > seq) throw new SequenceConflictError(key, seq + 1);
    }
    if (!synced && forsendelse !== undefined) {
      // First message since the actor woke: repair whatever a crash may have interrupted.
      const projected = (await deps.readModel.projectedSeq([forsendelse.id])).get(forsendelse.id) ?? 0;
      if (projected < seq) await applyEffects(deps, forsendelse, seq);
      else await enqueuePendingWork(deps.jobs, forsendelse, deps.policy);
    }
    synced = true;
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
    for (const event of events) {
      await ctx.persist(event); // throws on conflict: the crash policy reloads and retries
      forsendelse = evolve(forsendelse, event);
      seq += 1;
    }
    if (events.length > 0 && forsendelse !== undefined) {
      await applyEffects(deps, forsendelse, seq);
      deps.onEvents?.(forsendelse, events, before);
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
