/**
 * The only module that imports nact (docs/architecture.md, conventions): typed tell / ask with a mandatory
 * timeout, persistent actors with an explicit crash policy, and the system's lifecycle.
 * Behaviours we rely on are pinned in test/unit/actors/runtime.test.ts: a message to a
 * stopped actor is dropped, `ask` to a stopped actor rejects, a reset persistent actor
 * keeps its mailbox and re-reads its journal.
 */
import nact from 'nact';
import type { PersistenceEngine } from './journal-persistence.js';

const { configurePersistence, dispatch, query, spawn, spawnPersistent, start, stop } = nact;

/** An address of an actor taking messages of type M. */
export type ActorRef<M> = nact.Ref<M>;

/** A running actor system (one per node). */
export interface ActorSystem {
  readonly root: nact.Ref<never>;
}

/** What a crashed actor does next. */
export type CrashDecision = 'resume' | 'reset' | 'stop';

/** Context handed to a persistent actor's function. */
export interface PersistentContext<E> {
  /** True while the journal is being replayed: the message is a stored event. */
  readonly recovering: boolean;
  /** Stores one event durably; rejects (e.g. on a sequence conflict) without changing state. */
  readonly persist: (event: E) => Promise<void>;
  readonly self: ActorRef<unknown>;
}

/** A persistent actor: `(state, message-or-event, ctx) => next state`. */
export type PersistentBehaviour<S, M, E> = (state: S, msg: M | E, ctx: PersistentContext<E>) => Promise<S>;

/** Options of a persistent actor. */
export interface PersistentOptions<S, M> {
  readonly initialState: S;
  /** Stop (passivate) after this long without messages. */
  readonly idleMs: number;
  readonly snapshotEvery?: number;
  /** Explicit crash policy: what to do when the behaviour throws on `msg`. */
  readonly onCrash: (msg: M | undefined, error: unknown, self: ActorRef<M>) => CrashDecision;
  readonly afterStop?: () => void;
  /** Turns a stored snapshot back into state (e.g. to reset per-incarnation flags). */
  readonly snapshotDecoder?: (snapshot: unknown) => S;
}

/** Starts an actor system whose persistent actors store events through `engine`. */
export function startActorSystem(name: string, engine: PersistenceEngine): ActorSystem {
  const root = start({ name } as never, configurePersistence(engine as never)) as unknown as nact.Ref<never>;
  liveActors.set(systemOf(root), new Set());
  return { root };
}

/** Persistent actors alive per system, so stopping a system can stop them (see below). */
const liveActors = new Map<string, Set<nact.Ref<unknown>>>();

/** The name of the system a reference belongs to (nact references carry it). */
const systemOf = (ref: unknown): string => (ref as { system: { name: string } }).system.name;

/**
 * Stops every actor of the system. nact's own system stop hands concrete actors to a
 * function that expects references and so stops none; we stop the ones we spawned.
 */
export function stopActorSystem(system: ActorSystem): void {
  for (const ref of liveActors.get(systemOf(system.root)) ?? []) stop(ref);
  liveActors.delete(systemOf(system.root));
  stop(system.root);
}

/** Spawns a plain (non-persistent) parent actor that only groups children. */
export function spawnGroup(parent: ActorRef<never> | ActorRef<unknown>, name: string): ActorRef<never> {
  return spawn(parent as nact.Ref<never>, (state: unknown) => state, name) as unknown as ActorRef<never>;
}

/** Spawns a persistent actor under `parent` with journal key `key`. */
export function spawnPersistentActor<S, M, E>(
  parent: ActorRef<never>,
  behaviour: PersistentBehaviour<S, M, E>,
  key: string,
  name: string,
  options: PersistentOptions<S, M>,
): ActorRef<M> {
  const live = liveActors.get(systemOf(parent));
  let self: nact.Ref<unknown> | undefined;
  const f = async (
    state: S,
    msg: M | E,
    ctx: nact.PersistentActorContext<E, nact.Ref<never>> & { recovering?: boolean },
  ) =>
    behaviour(state, msg, {
      recovering: ctx.recovering === true,
      persist: ctx.persist,
      self: ctx.self as ActorRef<unknown>,
    });
  const ref = spawnPersistent(parent, f as never, key, name, {
    initialState: options.initialState,
    shutdownAfter: options.idleMs,
    snapshotEvery: options.snapshotEvery,
    snapshotDecoder: options.snapshotDecoder,
    afterStop: () => {
      if (self !== undefined) live?.delete(self);
      options.afterStop?.();
    },
    onCrash: (msg: unknown, error: unknown, ctx: nact.SupervisionContext<unknown, nact.Ref<never>>) => {
      const decision = options.onCrash(msg as M | undefined, error, ctx.self as ActorRef<M>);
      return decision === 'resume' ? ctx.resume : decision === 'reset' ? ctx.reset : ctx.stop;
    },
  } as never);
  self = ref as nact.Ref<unknown>;
  live?.add(self);
  return ref as unknown as ActorRef<M>;
}

/** Sends a message; dropped silently if the actor has stopped (nact semantics). */
export function tell<M>(ref: ActorRef<M>, msg: M): void {
  dispatch(ref, msg);
}

/**
 * Sends the message made by `make(replyTo)` and waits for one reply. Rejects after
 * `timeoutMs`, or at once if the actor has stopped.
 */
export function ask<M, R>(ref: ActorRef<M>, make: (replyTo: ActorRef<R>) => M, timeoutMs: number): Promise<R> {
  return query(ref, make as never, timeoutMs) as Promise<R>;
}

/** Stops an actor (its mailbox is dropped). */
export function stopActor(ref: ActorRef<unknown>): void {
  stop(ref);
}
