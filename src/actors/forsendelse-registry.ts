/**
 * Per node, the supervisor of forsendelse actors: starts one persistent actor per
 * forsendelse on demand, lets it passivate after `idleMs` without messages (so a million
 * waiting letters cost no memory), and routes commands to it. If the actor stops between
 * lookup and delivery, `ask` rejects at once and the command is sent to a fresh one.
 */
import type { ForsendelseCommand } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import type { ForsendelseState } from '../domain/forsendelse-state.js';
import type { ForsendelseEvent } from '../domain/events.js';
import { ChangeIncompleteError, SequenceConflictError } from '../storage/ports.js';
import {
  changeOf,
  forsendelseBehaviour,
  forsendelseCrashPolicy,
  INITIAL_ACTOR_STATE,
  type ActorState,
  type CommandReply,
  type ForsendelseActorDeps,
  type ForsendelseMessage,
} from './forsendelse-actor.js';
import { ask, spawnGroup, spawnPersistentActor, stopActor, type ActorRef, type ActorSystem } from './runtime.js';

/** Result of a command that was carried out. */
export interface CommandResult {
  readonly state: ForsendelseState | undefined;
  readonly events: readonly ForsendelseEvent[];
}

/** Options of the registry. */
export interface RegistryOptions {
  /** Passivate an actor after this long without messages. */
  readonly idleMs: number;
  /** How long a command may take before the caller gets a timeout. */
  readonly askTimeoutMs: number;
  readonly snapshotEvery?: number;
}

/** Starts, finds and passivates forsendelse actors on this node. */
export class ForsendelseActors {
  private readonly live = new Map<string, ActorRef<ForsendelseMessage>>();
  private readonly group: ActorRef<never>;
  private readonly behaviour;

  constructor(
    system: ActorSystem,
    private readonly deps: ForsendelseActorDeps,
    private readonly options: RegistryOptions,
  ) {
    this.group = spawnGroup(system.root, 'forsendelser');
    this.behaviour = forsendelseBehaviour(deps, options.snapshotEvery);
  }

  /** Number of forsendelse actors in memory now (for /metrics and the RSS benchmark). */
  get liveCount(): number {
    return this.live.size;
  }

  /**
   * Stops every live forsendelse actor. Needed on shutdown: nact's system `stop` hands
   * concrete actors to a function expecting references, so children of a group keep
   * their idle timers (and the process) alive.
   */
  stopAll(): void {
    for (const ref of [...this.live.values()]) stopActor(ref);
    this.live.clear();
  }

  /**
   * Carries out `command` on forsendelse `id`; rejects with the domain error if refused.
   * `claims` (BlobStore.claim) are written with its events, and only when there are some.
   */
  async execute(id: string, command: ForsendelseCommand, claims?: readonly string[]): Promise<CommandResult> {
    const reply = await this.send(id, command, claims);
    if (!reply.ok) throw reply.error;
    return { state: reply.state, events: reply.events };
  }

  /**
   * Records a new forsendelse without an actor: decides `command` (a Motta) on no state and
   * writes its events, jobs and record, with `claims` for the new id, as one change
   * (ChangeWriter: one transaction on SQLite). No actor is spawned, no journal is replayed
   * and no message goes round the event loop: the first job wakes the actor. Rejects with
   * the domain error when the command is refused. Undefined when the id may already be
   * taken (its journal holds events, or an actor for it is alive here): nothing but the
   * claims was written, and the caller sends the command through `execute`, which decides
   * on the stored state.
   */
  async create(id: string, command: ForsendelseCommand, claims: readonly string[]): Promise<CommandResult | undefined> {
    if (this.deps.changes === undefined || this.live.has(id)) return undefined;
    const events = decide(undefined, command);
    if (events.length === 0) return undefined;
    const { change, state } = changeOf(undefined, 0, events, this.deps.policy, Date.now());
    if (state.id !== id) throw new Error(`Kommandoen gjelder ${state.id}, ikke ${id}`);
    try {
      await this.deps.changes.write({ ...change, claims });
    } catch (error) {
      if (error instanceof SequenceConflictError) return undefined;
      // The letter's events are stored: it exists and will be delivered (the repair sweep
      // queues its work), so the sender gets its id, not an error to send it again on.
      if (!(error instanceof ChangeIncompleteError)) throw error;
    }
    this.deps.onEvents?.(state, events, undefined);
    return { state, events };
  }

  /** Wakes the actor (it repairs projection and queued work after a crash) and returns its state. */
  async state(id: string): Promise<ForsendelseState | undefined> {
    const reply = await this.send(id, undefined);
    if (!reply.ok) throw reply.error;
    return reply.state;
  }

  private async send(
    id: string,
    command: ForsendelseCommand | undefined,
    claims?: readonly string[],
  ): Promise<CommandReply> {
    for (let attempt = 0; ; attempt++) {
      const ref = this.refFor(id);
      try {
        return await ask<ForsendelseMessage, CommandReply>(
          ref,
          (replyTo) => ({ command, replyTo, ...(claims === undefined ? {} : { claims }) }),
          this.options.askTimeoutMs,
        );
      } catch (error) {
        // "Actor stopped or never existed": it passivated just now. Anything else is real.
        if (attempt >= 3 || !(error instanceof Error) || !/stopped/.test(error.message)) throw error;
        if (this.live.get(id) === ref) this.live.delete(id);
      }
    }
  }

  private refFor(id: string): ActorRef<ForsendelseMessage> {
    const existing = this.live.get(id);
    if (existing !== undefined) return existing;
    const ref: ActorRef<ForsendelseMessage> = spawnPersistentActor(
      this.group,
      this.behaviour,
      `forsendelse:${id}`,
      id,
      {
        // The id lets an actor that found no letter notice one written since (create).
        initialState: { ...INITIAL_ACTOR_STATE, id },
        idleMs: this.options.idleMs,
        // Taken by the behaviour itself (it writes its events without nact's persist).
        snapshotEvery: undefined,
        onCrash: forsendelseCrashPolicy,
        // A snapshot is of the state, not of this incarnation: a woken actor repairs again.
        snapshotDecoder: (s) => ({ ...(s as ActorState), synced: false }),
        afterStop: () => {
          if (this.live.get(id) === ref) this.live.delete(id);
        },
      },
    );
    this.live.set(id, ref);
    return ref;
  }
}
