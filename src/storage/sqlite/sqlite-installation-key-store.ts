/**
 * The installation's CMS keys in the embedded SQLite database (table `installasjonsnokler`,
 * migrations.ts). `nummer` is the primary key, so a second process adding the same number
 * (two processes creating the first key at once) loses quietly and reads the winner's key.
 */
import type { InstallationKey, InstallationKeyStore } from '../ports.js';
import type { SqliteDatabase } from './open-sqlite.js';

interface Row {
  nummer: number;
  sertifikat_pem: string;
  privatnokkel_pem: string;
  created_at: number;
}

/** InstallationKeyStore on the embedded SQLite database. */
export class SqliteInstallationKeyStore implements InstallationKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Every key, oldest first. */
  async list(): Promise<InstallationKey[]> {
    const rows = this.db.prepare('SELECT * FROM installasjonsnokler ORDER BY nummer').all() as Row[];
    return rows.map((r) => ({
      nummer: r.nummer,
      certificatePem: r.sertifikat_pem,
      privateKeyPem: r.privatnokkel_pem,
      createdAt: r.created_at,
    }));
  }

  /** Adds the key unless its number is taken. */
  async add(key: InstallationKey): Promise<boolean> {
    const result = this.db
      .prepare(
        'INSERT INTO installasjonsnokler (nummer, sertifikat_pem, privatnokkel_pem, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (nummer) DO NOTHING',
      )
      .run(key.nummer, key.certificatePem, key.privateKeyPem, key.createdAt);
    return result.changes === 1;
  }

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}
