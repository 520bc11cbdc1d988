/**
 * Logs and metrics around the three places a forsendelse passes through (issue #6): the
 * intake (any door), its status changes (the actor), and its jobs. Every line about one
 * forsendelse comes from a pino child logger carrying `forsendelseId`. What is logged is
 * chosen field by field — ids, types, statuses, channels — never the input itself, so no
 * fødselsnummer, address or title reaches the log (and logging.ts masks any that an error
 * message might carry).
 */
import type { Logger } from 'pino';
import type { ForsendelseService } from '../app/forsendelse-service.js';
import { BudbringerError, ValidationError } from '../domain/errors.js';
import type { ForsendelseEvent } from '../domain/events.js';
import { evolve, type ForsendelseState } from '../domain/forsendelse-state.js';
import type { JobHandler } from '../storage/ports.js';
import type { ContactRegister } from '../channels/krr/index.js';
import type { IntakeChannel, IntakeOutcome, NodeMetrics } from './node-metrics.js';

/** Log messages of the events worth a line of their own; the rest log as "status changed". */
const EVENT_MESSAGES: Partial<Record<ForsendelseEvent['type'], string>> = {
  Mottatt: 'forsendelse received',
  Akseptert: 'forsendelse accepted',
  Avvist: 'forsendelse refused',
  KanalValgt: 'channel chosen',
  Varslet: 'notification sent',
  VarslingFeilet: 'notification failed',
  Paminnet: 'reminder sent',
  SendtPrint: 'print handed over',
  Printet: 'print receipt received',
};

/** The safe, non-personal facts of an event (never addresses, reasons or input). */
function eventFacts(event: ForsendelseEvent): Record<string, unknown> {
  switch (event.type) {
    case 'KanalValgt':
      return { kanal: event.kanal };
    case 'Varslet':
      return { kanaler: event.kanaler, usikker: event.usikker === true };
    case 'SendtPrint':
      return { leverandor: event.leverandor, sider: event.printfil.sider };
    default:
      return {};
  }
}

/** The actor's `onEvents`: one log line per stored event, and the status transitions counted. */
export function observeEvents(
  log: Logger,
  metrics: NodeMetrics | undefined,
): (state: ForsendelseState, events: readonly ForsendelseEvent[], before: ForsendelseState | undefined) => void {
  return (state, events, before) => {
    const child = log.child({ forsendelseId: state.id });
    let current = before;
    for (const event of events) {
      const next = evolve(current, event);
      const changed = next.status !== current?.status;
      if (changed) metrics?.transition(next.status);
      if (event.type === 'Varslet') for (const kanal of event.kanaler) metrics?.notification(kanal, 'sent');
      // The failed attempt's channel is not recorded apart: e-mail and SMS go out as one attempt.
      if (event.type === 'VarslingFeilet') metrics?.notification('any', 'failed');
      const message = EVENT_MESSAGES[event.type] ?? (changed ? 'status changed' : 'forsendelse event');
      child.info({ event: event.type, status: next.status, ...eventFacts(event) }, message);
      current = next;
    }
  };
}

/** The job handlers, each run logged with its forsendelse id, timed and counted. */
export function observeJobs<K extends string>(
  handlers: Readonly<Record<K, JobHandler>>,
  log: Logger,
  metrics: NodeMetrics | undefined,
  clock: () => number = () => performance.now(),
): Record<K, JobHandler> {
  const observed = {} as Record<K, JobHandler>;
  for (const [type, handler] of Object.entries(handlers) as [K, JobHandler][]) {
    observed[type] = async (job) => {
      const forsendelseId = (job.payload as { forsendelseId?: unknown } | null)?.forsendelseId;
      const child = log.child({
        ...(typeof forsendelseId === 'string' ? { forsendelseId } : {}),
        jobId: job.id,
        jobType: type,
        attempt: job.attempt,
      });
      const started = clock();
      child.debug('job started');
      try {
        await handler(job);
      } catch (error) {
        const ms = Math.round(clock() - started);
        metrics?.jobRun(type, 'failed', ms / 1000);
        child.warn({ err: error, ms }, 'job failed');
        throw error;
      }
      const ms = Math.round(clock() - started);
      metrics?.jobRun(type, 'completed', ms / 1000);
      child.info({ ms }, 'job done');
    };
  }
  return observed;
}

/** The outcome of a rejected send: the caller's fault, or ours. */
function outcomeOf(error: unknown): IntakeOutcome {
  return error instanceof BudbringerError && error.httpStatus < 500 ? 'refused' : 'error';
}

/**
 * The service as one door sees it: `send` is timed, counted by outcome and logged with the
 * new forsendelse's id; every other call goes straight through.
 */
export function observeIntake(
  service: ForsendelseService,
  channel: IntakeChannel,
  log: Logger,
  metrics: NodeMetrics | undefined,
  clock: () => number = () => performance.now(),
): ForsendelseService {
  const send: ForsendelseService['send'] = async (avsender, input, documents, options) => {
    const started = clock();
    try {
      const id = await service.send(avsender, input, documents, options);
      const ms = clock() - started;
      metrics?.intake(channel, 'accepted', ms / 1000);
      log
        .child({ forsendelseId: id })
        .info({ channel, avsender, dokumenter: documents.length, ms: Math.round(ms) }, 'intake accepted');
      return id;
    } catch (error) {
      const ms = clock() - started;
      const outcome = outcomeOf(error);
      metrics?.intake(channel, outcome, ms / 1000);
      const code = error instanceof BudbringerError ? error.code : undefined;
      // Field paths only: a problem's message may quote the value (a fødselsnummer).
      const felt = error instanceof ValidationError ? error.problems.map((p) => p.field) : undefined;
      if (outcome === 'refused') log.info({ channel, avsender, code, felt, ms: Math.round(ms) }, 'intake refused');
      else log.error({ channel, avsender, err: error, ms: Math.round(ms) }, 'intake failed');
      throw error;
    }
  };
  return new Proxy(service, {
    get(target, property) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The KRR lookups timed and counted by outcome (found, not found, register unavailable). */
export function observeKrr(
  krr: ContactRegister,
  metrics: NodeMetrics | undefined,
  clock: () => number = () => performance.now(),
): ContactRegister {
  if (metrics === undefined) return krr;
  return {
    async lookup(fnr) {
      const started = clock();
      try {
        const person = await krr.lookup(fnr);
        metrics.krrLookup(person === undefined ? 'not_found' : 'found', (clock() - started) / 1000);
        return person;
      } catch (error) {
        metrics.krrLookup('error', (clock() - started) / 1000);
        throw error;
      }
    },
  };
}
