/**
 * The ConfigStore's Fiks integrations (REST v2/v3) and kontoIds, against SQLite and MongoDB
 * (MONGODB_URI, see docs/cluster.md; skipped loudly without it): create / conflict / read,
 * password replaced, grants added and removed atomically, and a kontoId that an avsender
 * stored before kontoIds existed is given once and keeps.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import { MongoConfigStore } from '../../src/storage/mongo/index.js';
import type { Avsender, ConfigStore, Integrasjon } from '../../src/storage/ports.js';
import { migrate, SCHEMA_VERSION, SqliteConfigStore } from '../../src/storage/sqlite/index.js';
import { freshDb, mongoSkip } from './mongo-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';
import { withFixture } from './support.js';

interface Fixture {
  readonly config: ConfigStore;
  /** Stores an avsender as code from before kontoIds did (no kontoId), then opens the store as now. */
  legacyAvsender(avsender: Avsender): Promise<ConfigStore>;
  cleanup(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function avsender(navn: string): Avsender {
  return {
    navn,
    passordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==',
    forside: { navn, adresselinjer: [], postnr: '', poststed: '', tekst: '' },
    varsling: { epostEmne: 'E', epostTekst: 'T', smsTekst: 'S' },
    print: { leverandor: 'filedrop' },
    createdAt: 1_700_000_000_000,
  };
}

function integrasjon(overrides: Partial<Integrasjon> = {}): Integrasjon {
  return {
    id: randomUUID(),
    navn: 'Sak/arkiv',
    passordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==',
    kontoer: [],
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

function contract(name: string, factory: () => Promise<Fixture>): void {
  void describe(`ConfigStore integrations contract: ${name}`, () => {
    void it('creates and reads back an integration exactly; a second with the same id is a conflict', () =>
      withFixture(factory, async ({ config }) => {
        const i = integrasjon({ navn: 'Elements', kontoer: ['A kommune', 'B kommune'] });
        await config.createIntegrasjon(i);
        assert.deepEqual(await config.getIntegrasjon(i.id), i);
        assert.equal(await config.getIntegrasjon(randomUUID()), undefined);
        await assert.rejects(config.createIntegrasjon({ ...i, navn: 'Annen' }), ConflictError);
        assert.deepEqual(await config.getIntegrasjon(i.id), i);
      }));

    void it('lists by navn then id', () =>
      withFixture(factory, async ({ config }) => {
        const b = integrasjon({ navn: 'B-system' });
        const a2 = integrasjon({ navn: 'A-system', id: 'ffffffff-0000-4000-8000-000000000000' });
        const a1 = integrasjon({ navn: 'A-system', id: '00000000-0000-4000-8000-000000000000' });
        for (const i of [b, a2, a1]) await config.createIntegrasjon(i);
        assert.deepEqual(
          (await config.listIntegrasjoner()).map((i) => i.id),
          [a1.id, a2.id, b.id],
        );
      }));

    void it('replaces the password hash only', () =>
      withFixture(factory, async ({ config }) => {
        const i = integrasjon({ kontoer: ['A kommune'] });
        await config.createIntegrasjon(i);
        await config.setIntegrasjonPassord(i.id, 'scrypt$1$1$1$bnk=$bnk=');
        assert.deepEqual(await config.getIntegrasjon(i.id), { ...i, passordHash: 'scrypt$1$1$1$bnk=$bnk=' });
        await assert.rejects(config.setIntegrasjonPassord(randomUUID(), 'x'), NotFoundError);
      }));

    void it('grants and revokes idempotently; concurrent grants all stay', () =>
      withFixture(factory, async ({ config }) => {
        const i = integrasjon();
        await config.createIntegrasjon(i);
        const names = Array.from({ length: 12 }, (_, n) => `Kommune ${String(n).padStart(2, '0')}`);
        await Promise.all(names.map((n) => config.setIntegrasjonTilgang(i.id, n, true)));
        await config.setIntegrasjonTilgang(i.id, names[0] as string, true);
        assert.deepEqual((await config.getIntegrasjon(i.id))?.kontoer, names);
        await config.setIntegrasjonTilgang(i.id, names[3] as string, false);
        await config.setIntegrasjonTilgang(i.id, 'Aldri gitt', false);
        assert.deepEqual(
          (await config.getIntegrasjon(i.id))?.kontoer,
          names.filter((_, n) => n !== 3),
        );
        await assert.rejects(config.setIntegrasjonTilgang(randomUUID(), 'X', true), NotFoundError);
      }));

    void it('authorises organisations idempotently, keeps them sorted; concurrent ones all stay; the rest untouched', () =>
      withFixture(factory, async ({ config }) => {
        const i = integrasjon({ kontoer: ['A kommune'] });
        await config.createIntegrasjon(i);
        assert.equal((await config.getIntegrasjon(i.id))?.organisasjoner, undefined, 'none given, none stored');
        const orgnrs = ['974760673', '910076787', '921693230', '964338531'];
        await Promise.all(orgnrs.map((o) => config.setIntegrasjonOrganisasjon(i.id, o, true)));
        await config.setIntegrasjonOrganisasjon(i.id, '974760673', true);
        assert.deepEqual((await config.getIntegrasjon(i.id))?.organisasjoner, [...orgnrs].sort());
        await config.setIntegrasjonOrganisasjon(i.id, '910076787', false);
        await config.setIntegrasjonOrganisasjon(i.id, '999999999', false);
        const after = await config.getIntegrasjon(i.id);
        assert.deepEqual(after?.organisasjoner, ['921693230', '964338531', '974760673']);
        assert.deepEqual({ ...after, organisasjoner: undefined }, { ...i, organisasjoner: undefined });
        const created = integrasjon({ organisasjoner: ['964338531', '921693230'] });
        await config.createIntegrasjon(created);
        assert.deepEqual((await config.getIntegrasjon(created.id))?.organisasjoner, ['921693230', '964338531']);
        await assert.rejects(config.setIntegrasjonOrganisasjon(randomUUID(), '974760673', true), NotFoundError);
      }));

    void it('keeps a kontoId given at creation', () =>
      withFixture(factory, async ({ config }) => {
        const kontoId = randomUUID();
        await config.createAvsender({ ...avsender('Med konto'), kontoId });
        assert.equal((await config.getAvsender('Med konto'))?.kontoId, kontoId);
      }));

    void it('gives an avsender created without kontoId (by older code) one on first read, and keeps it', () =>
      withFixture(factory, async ({ config }) => {
        await config.createAvsender(avsender('Uten konto'));
        const first = (await config.listAvsendere()).find((a) => a.navn === 'Uten konto')?.kontoId;
        assert.match(first ?? '', UUID);
        assert.equal((await config.getAvsender('Uten konto'))?.kontoId, first);
      }));

    void it('gives an avsender stored without kontoId one UUID, the same on every later read', () =>
      withFixture(factory, async (f) => {
        const config = await f.legacyAvsender(avsender('Gammel kommune'));
        const first = (await config.getAvsender('Gammel kommune'))?.kontoId;
        assert.match(first ?? '', UUID);
        assert.equal((await config.getAvsender('Gammel kommune'))?.kontoId, first);
        assert.equal((await config.listAvsendere()).find((a) => a.navn === 'Gammel kommune')?.kontoId, first);
      }));
  });
}

contract('SqliteConfigStore', async () => {
  const file = await sqliteFile();
  return {
    config: new SqliteConfigStore(file.connect()),
    async legacyAvsender(a) {
      // A database at the last version without integrations, holding the old avsender…
      const path = `${file.dir}/gammel.db`;
      const db = new Database(path);
      let before = 0;
      for (let v = 1; v <= SCHEMA_VERSION; v++) {
        migrate(db, v);
        const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'integrasjoner'").get() !== undefined;
        if (has) break;
        before = v;
      }
      db.close();
      const fresh = new Database(`${file.dir}/gammel2.db`);
      migrate(fresh, before);
      fresh
        .prepare('INSERT INTO avsendere (navn, data, created_at) VALUES (?, ?, ?)')
        .run(a.navn, JSON.stringify(a), 1);
      // …then migrated by this code, which writes the kontoId into the row itself.
      migrate(fresh);
      const written = fresh
        .prepare("SELECT json_extract(data, '$.kontoId') FROM avsendere WHERE navn = ?")
        .pluck()
        .get(a.navn);
      assert.match(String(written), UUID);
      return new SqliteConfigStore(fresh);
    },
    cleanup: () => file.cleanup(),
  };
});

if (mongoSkip !== false) void it('MongoConfigStore: integrations contract', { skip: mongoSkip }, () => {});
else
  contract('MongoConfigStore', async () => {
    const { connection, name, drop } = await freshDb();
    const db = connection.client.db(name);
    return {
      config: await MongoConfigStore.open(db),
      async legacyAvsender(a) {
        await db.collection<{ _id: string }>('avsendere').insertOne({ ...a, _id: a.navn });
        return MongoConfigStore.open(db);
      },
      cleanup: drop,
    };
  });
