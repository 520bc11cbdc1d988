/** Sender accounts and admin users on SQLite, one JSON document per row. */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore, Integrasjon } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';

/** An integration's row: everything but its grants (rows of `integrasjon_tilganger`). */
type IntegrasjonRow = Omit<Integrasjon, 'kontoer'>;

/** ConfigStore over the `avsendere`, `admin_users`, `integrasjoner` and `integrasjon_tilganger` tables. */
export class SqliteConfigStore implements ConfigStore {
  private readonly insertAvsender;
  private readonly updateAvsenderRow;
  private readonly selectAvsender;
  private readonly selectAvsendere;
  private readonly upsertUser;
  private readonly selectUser;
  private readonly selectUsers;
  private readonly integrasjoner;
  private readonly giveKontoId;

  /** Uses `db` (from openSqlite) without owning it: close() leaves the connection open. */
  constructor(db: SqliteDatabase) {
    this.insertAvsender = db.prepare<[string, string, number]>(
      'INSERT OR IGNORE INTO avsendere (navn, data, created_at) VALUES (?, ?, ?)',
    );
    this.updateAvsenderRow = db.prepare<[string, string]>('UPDATE avsendere SET data = ? WHERE navn = ?');
    this.selectAvsender = db.prepare<[string], string>('SELECT data FROM avsendere WHERE navn = ?').pluck();
    this.selectAvsendere = db.prepare<[], string>('SELECT data FROM avsendere ORDER BY navn').pluck();
    this.upsertUser = db.prepare<[string, string, number]>(
      `INSERT INTO admin_users (brukernavn, data, created_at) VALUES (?, ?, ?)
       ON CONFLICT (brukernavn) DO UPDATE SET data = excluded.data`,
    );
    this.selectUser = db.prepare<[string], string>('SELECT data FROM admin_users WHERE brukernavn = ?').pluck();
    this.selectUsers = db.prepare<[], string>('SELECT data FROM admin_users ORDER BY brukernavn').pluck();
    this.giveKontoId = db.prepare<[string, string]>(
      `UPDATE avsendere SET data = json_set(data, '$.kontoId', ?)
       WHERE navn = ? AND json_extract(data, '$.kontoId') IS NULL`,
    );
    this.integrasjoner = {
      insert: db.prepare<[string, string, number]>(
        'INSERT OR IGNORE INTO integrasjoner (id, data, created_at) VALUES (?, ?, ?)',
      ),
      select: db.prepare<[string], string>('SELECT data FROM integrasjoner WHERE id = ?').pluck(),
      selectAll: db.prepare<[], string>('SELECT data FROM integrasjoner').pluck(),
      update: db.prepare<[string, string]>('UPDATE integrasjoner SET data = ? WHERE id = ?'),
      kontoer: db
        .prepare<[string], string>(
          'SELECT avsender FROM integrasjon_tilganger WHERE integrasjon_id = ? ORDER BY avsender',
        )
        .pluck(),
      grant: db.prepare<[string, string]>(
        'INSERT OR IGNORE INTO integrasjon_tilganger (integrasjon_id, avsender) VALUES (?, ?)',
      ),
      revoke: db.prepare<[string, string]>(
        'DELETE FROM integrasjon_tilganger WHERE integrasjon_id = ? AND avsender = ?',
      ),
      exists: db.prepare<[string], number>('SELECT 1 FROM integrasjoner WHERE id = ?').pluck(),
      db,
    };
  }

  /** Creates the avsender; ConflictError when the name is taken. */
  async createAvsender(avsender: Avsender): Promise<void> {
    if (this.insertAvsender.run(avsender.navn, JSON.stringify(avsender), avsender.createdAt).changes === 0) {
      throw new ConflictError(`Avsender: navnet «${avsender.navn}» er allerede i bruk`);
    }
  }

  /** The avsender of that name, if any. */
  async getAvsender(navn: string): Promise<Avsender | undefined> {
    const data = this.selectAvsender.get(navn);
    return data === undefined ? undefined : this.withKontoId(JSON.parse(data) as Avsender);
  }

  /**
   * The avsender with a kontoId: one stored without (written by code from before kontoIds,
   * after the migration gave the others theirs) gets one now, set only where none is.
   */
  private withKontoId(avsender: Avsender): Avsender {
    if (avsender.kontoId !== undefined) return avsender;
    this.giveKontoId.run(randomUUID(), avsender.navn);
    const data = this.selectAvsender.get(avsender.navn);
    return data === undefined ? avsender : (JSON.parse(data) as Avsender);
  }

  /** Every avsender, by name. */
  async listAvsendere(): Promise<Avsender[]> {
    return this.selectAvsendere.all().map((d) => this.withKontoId(JSON.parse(d) as Avsender));
  }

  /** Replaces the avsender of that name; NotFoundError when absent. */
  async updateAvsender(avsender: Avsender): Promise<void> {
    if (this.updateAvsenderRow.run(JSON.stringify(avsender), avsender.navn).changes === 0) {
      throw new NotFoundError(`Avsender «${avsender.navn}»`);
    }
  }

  /** Creates or replaces the user of that name. */
  async putUser(user: AdminUser): Promise<void> {
    this.upsertUser.run(user.brukernavn, JSON.stringify(user), user.createdAt);
  }

  /** The user of that name, if any. */
  async getUser(brukernavn: string): Promise<AdminUser | undefined> {
    const data = this.selectUser.get(brukernavn);
    return data === undefined ? undefined : (JSON.parse(data) as AdminUser);
  }

  /** Every user, by name. */
  async listUsers(): Promise<AdminUser[]> {
    return this.selectUsers.all().map((d) => JSON.parse(d) as AdminUser);
  }

  /** Creates the integration (and its grants) in one transaction; ConflictError when the id is taken. */
  async createIntegrasjon(integrasjon: Integrasjon): Promise<void> {
    const q = this.integrasjoner;
    const { kontoer, ...row } = integrasjon;
    q.db
      .transaction(() => {
        if (q.insert.run(row.id, JSON.stringify(row), row.createdAt).changes === 0) {
          throw new ConflictError(`Integrasjon: id-en «${row.id}» er allerede i bruk`);
        }
        for (const avsender of kontoer) q.grant.run(row.id, avsender);
      })
      .immediate();
  }

  /** The integration with that id, with its grants. */
  async getIntegrasjon(id: string): Promise<Integrasjon | undefined> {
    const data = this.integrasjoner.select.get(id);
    return data === undefined ? undefined : this.withKontoer(JSON.parse(data) as IntegrasjonRow);
  }

  /** Every integration, by navn then id. */
  async listIntegrasjoner(): Promise<Integrasjon[]> {
    return this.integrasjoner.selectAll
      .all()
      .map((d) => this.withKontoer(JSON.parse(d) as IntegrasjonRow))
      .sort((a, b) => compare(a.navn, b.navn) || compare(a.id, b.id));
  }

  /** Replaces the password hash; NotFoundError when absent. */
  async setIntegrasjonPassord(id: string, passordHash: string): Promise<void> {
    const q = this.integrasjoner;
    q.db
      .transaction(() => {
        const data = q.select.get(id);
        if (data === undefined) throw new NotFoundError(`Integrasjon «${id}»`);
        q.update.run(JSON.stringify({ ...(JSON.parse(data) as IntegrasjonRow), passordHash }), id);
      })
      .immediate();
  }

  /** Adds or removes one authorised organisation, read and written in one transaction. */
  async setIntegrasjonOrganisasjon(id: string, orgnr: string, autorisert: boolean): Promise<void> {
    const q = this.integrasjoner;
    q.db
      .transaction(() => {
        const data = q.select.get(id);
        if (data === undefined) throw new NotFoundError(`Integrasjon «${id}»`);
        const row = JSON.parse(data) as IntegrasjonRow;
        const others = (row.organisasjoner ?? []).filter((o) => o !== orgnr);
        const organisasjoner = (autorisert ? [...others, orgnr] : others).sort();
        q.update.run(JSON.stringify({ ...row, organisasjoner }), id);
      })
      .immediate();
  }

  /** Adds or removes one grant (a row of its own, so concurrent grants never overwrite each other). */
  async setIntegrasjonTilgang(id: string, avsender: string, tilgang: boolean): Promise<void> {
    const q = this.integrasjoner;
    if (q.exists.get(id) === undefined) throw new NotFoundError(`Integrasjon «${id}»`);
    if (tilgang) q.grant.run(id, avsender);
    else q.revoke.run(id, avsender);
  }

  private withKontoer(row: IntegrasjonRow): Integrasjon {
    const organisasjoner = row.organisasjoner === undefined ? {} : { organisasjoner: [...row.organisasjoner].sort() };
    return { ...row, kontoer: this.integrasjoner.kontoer.all(row.id), ...organisasjoner };
  }

  /** Nothing to release: the connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}

/** Code-point order, as MongoDB sorts strings. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
