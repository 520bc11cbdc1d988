/** Sender accounts and admin users on SQLite, one JSON document per row. */
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { AdminUser, Avsender, ConfigStore } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';

/** ConfigStore over the `avsendere` and `admin_users` tables. */
export class SqliteConfigStore implements ConfigStore {
  private readonly insertAvsender;
  private readonly updateAvsenderRow;
  private readonly selectAvsender;
  private readonly selectAvsendere;
  private readonly upsertUser;
  private readonly selectUser;
  private readonly selectUsers;

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
    return data === undefined ? undefined : (JSON.parse(data) as Avsender);
  }

  /** Every avsender, by name. */
  async listAvsendere(): Promise<Avsender[]> {
    return this.selectAvsendere.all().map((d) => JSON.parse(d) as Avsender);
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

  /** Nothing to release: the connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}
