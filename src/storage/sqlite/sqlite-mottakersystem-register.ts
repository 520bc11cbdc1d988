/** The receiving systems (SvarInn) on SQLite: one JSON document per row, warnings beside it. */
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import {
  changedMottakersystem,
  type Mottakersystem,
  type MottakersystemChange,
  type MottakersystemRegister,
} from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';

/** MottakersystemRegister over the `mottakersystemer` table. */
export class SqliteMottakersystemRegister implements MottakersystemRegister {
  private readonly insertRow;
  private readonly updateRow;
  private readonly selectOne;
  private readonly selectAll;
  private readonly selectForOrgnr;
  private readonly selectVarsler;
  private readonly updateVarsler;

  /** Uses `db` (from openSqlite) without owning it. */
  constructor(private readonly db: SqliteDatabase) {
    this.insertRow = db.prepare<[string, string, string, string, number]>(
      'INSERT OR IGNORE INTO mottakersystemer (id, orgnr, navn, data, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateRow = db.prepare<[string, string, string, string]>(
      'UPDATE mottakersystemer SET orgnr = ?, navn = ?, data = ? WHERE id = ?',
    );
    this.selectOne = db.prepare<[string], string>('SELECT data FROM mottakersystemer WHERE id = ?').pluck();
    this.selectAll = db
      .prepare<[], string>('SELECT data FROM mottakersystemer ORDER BY orgnr, navn, created_at')
      .pluck();
    this.selectForOrgnr = db
      .prepare<[string], string>('SELECT data FROM mottakersystemer WHERE orgnr = ? ORDER BY navn, created_at')
      .pluck();
    this.selectVarsler = db.prepare<[string], string>('SELECT varsler FROM mottakersystemer WHERE id = ?').pluck();
    this.updateVarsler = db.prepare<[string, string]>('UPDATE mottakersystemer SET varsler = ? WHERE id = ?');
  }

  async create(system: Mottakersystem): Promise<void> {
    const row = this.insertRow.run(system.id, system.orgnr, system.navn, JSON.stringify(system), system.createdAt);
    if (row.changes === 0) throw new ConflictError(`Mottakersystem med id ${system.id} finnes allerede`);
  }

  async get(id: string): Promise<Mottakersystem | undefined> {
    const data = this.selectOne.get(id);
    return data === undefined ? undefined : (JSON.parse(data) as Mottakersystem);
  }

  async list(): Promise<Mottakersystem[]> {
    return this.selectAll.all().map((d) => JSON.parse(d) as Mottakersystem);
  }

  async listForOrgnr(orgnr: string): Promise<Mottakersystem[]> {
    return this.selectForOrgnr.all(orgnr).map((d) => JSON.parse(d) as Mottakersystem);
  }

  async update(id: string, change: MottakersystemChange): Promise<Mottakersystem> {
    // IMMEDIATE: the read and the write hold the write lock together, against other processes too.
    return this.db
      .transaction((): Mottakersystem => {
        const data = this.selectOne.get(id);
        if (data === undefined) throw new NotFoundError('Mottakersystem');
        const system = changedMottakersystem(JSON.parse(data) as Mottakersystem, change);
        this.updateRow.run(system.orgnr, system.navn, JSON.stringify(system), id);
        return system;
      })
      .immediate();
  }

  async claimWarning(
    id: string,
    now: number,
    rule: { windowMs: number; max: number; minGapMs: number },
  ): Promise<boolean> {
    // IMMEDIATE: the read and the write hold the write lock together, against other processes too.
    return this.db
      .transaction((): boolean => {
        const raw = this.selectVarsler.get(id);
        if (raw === undefined) return false;
        const recent = (JSON.parse(raw) as number[]).filter((t) => t > now - rule.windowMs);
        const last = recent.length === 0 ? undefined : Math.max(...recent);
        if (recent.length >= rule.max || (last !== undefined && now - last < rule.minGapMs)) return false;
        this.updateVarsler.run(JSON.stringify([...recent, now]), id);
        return true;
      })
      .immediate();
  }

  async close(): Promise<void> {}
}
