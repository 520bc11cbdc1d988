/**
 * The read model as its readers see it: every record's view is decoded with a check
 * (src/domain/record-view.ts) before it is handed out. A view of an older version is
 * handed out migrated; a view that fails its check is rebuilt from the journal (the source
 * of truth) by replaying the forsendelse's events, and reported. Writes go straight through.
 */
import { evolve, type ForsendelseState } from '../domain/forsendelse-state.js';
import type { ForsendelseEvent } from '../domain/events.js';
import { toRecord } from '../domain/record.js';
import { decodeView, encodeView } from '../domain/record-view.js';
import type { ForsendelseStatus } from '../domain/model.js';
import type {
  ForsendelsePage,
  ForsendelseQuery,
  ForsendelseRecord,
  Journal,
  ReadModel,
  StatisticsAggregate,
  StatisticsQuery,
  StatusRow,
} from '../storage/ports.js';

/** A stored view that failed its check: rebuilt from the journal, or not (no events to rebuild from). */
export interface ViewProblem {
  readonly forsendelseId: string;
  readonly problem: string;
  readonly rebuilt: boolean;
}

/** Wraps `inner` so that reads hand out checked, current views; `report` is told of each corrupt one. */
export function viewCheckedReadModel(
  inner: ReadModel,
  journal: Journal,
  report: (problem: ViewProblem) => void,
): ReadModel {
  return new ViewCheckedReadModel(inner, journal, report);
}

class ViewCheckedReadModel implements ReadModel {
  constructor(
    private readonly inner: ReadModel,
    private readonly journal: Journal,
    private readonly report: (problem: ViewProblem) => void,
  ) {}

  upsert(record: ForsendelseRecord): Promise<void> {
    return this.inner.upsert(record);
  }

  async get(id: string): Promise<ForsendelseRecord | undefined> {
    const record = await this.inner.get(id);
    return record === undefined ? undefined : this.checked(record);
  }

  async getMany(ids: readonly string[]): Promise<ForsendelseRecord[]> {
    return Promise.all((await this.inner.getMany(ids)).map((r) => this.checked(r)));
  }

  statusesOf(ids: readonly string[]): Promise<StatusRow[]> {
    return this.inner.statusesOf(ids);
  }

  idsByEksternref(avsender: string, eksternref: string): Promise<string[]> {
    return this.inner.idsByEksternref(avsender, eksternref);
  }

  async search(query: ForsendelseQuery): Promise<ForsendelsePage> {
    const page = await this.inner.search(query);
    return { ...page, items: await Promise.all(page.items.map((r) => this.checked(r))) };
  }

  idsByStatus(statuses: readonly ForsendelseStatus[], limit: number): Promise<string[]> {
    return this.inner.idsByStatus(statuses, limit);
  }

  idsAfter(after: string | undefined, limit: number): Promise<string[]> {
    return this.inner.idsAfter(after, limit);
  }

  projectedSeq(ids: readonly string[]): Promise<Map<string, number>> {
    return this.inner.projectedSeq(ids);
  }

  aggregateStatistics(query: StatisticsQuery): Promise<StatisticsAggregate> {
    return this.inner.aggregateStatistics(query);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The record with a current, checked view: as stored, migrated, or rebuilt from the journal. */
  private async checked(record: ForsendelseRecord): Promise<ForsendelseRecord> {
    const decoded = decodeView(record.view, record.id);
    if (decoded.kind === 'current') return record;
    if (decoded.kind === 'migrated') return { ...record, view: encodeView(decoded.state) };
    const rebuilt = await this.rebuild(record.id);
    this.report({ forsendelseId: record.id, problem: decoded.problem, rebuilt: rebuilt !== undefined });
    // Without events the corrupt record is handed out as it is: fromRecord refuses it (500), nothing reads a guess.
    return rebuilt ?? record;
  }

  /** The record replayed from the forsendelse's journal, or undefined when it has no events. */
  private async rebuild(id: string): Promise<ForsendelseRecord | undefined> {
    const events = await this.journal.read(`forsendelse:${id}`, 0);
    let state: ForsendelseState | undefined;
    let seq = 0;
    for (const entry of events) {
      // Journal entries are the events the actor persisted; replay folds them as recovery does.
      state = evolve(state, entry.data as unknown as ForsendelseEvent);
      seq = entry.seq;
    }
    return state === undefined ? undefined : toRecord(state, seq);
  }
}
