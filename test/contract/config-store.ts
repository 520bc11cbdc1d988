/** Contract of the ConfigStore port: avsendere (create / conflict / update) and admin users. */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import type { AdminUser, Avsender, ConfigStore } from '../../src/storage/ports.js';
import { withFixture } from './support.js';

/** What a config store adapter's factory gives the suite: fresh, empty storage per call. */
export interface ConfigStoreFixture {
  readonly config: ConfigStore;
  cleanup(): Promise<void>;
}

/** A UUID-shaped kontoId that depends on the name only, so a fixture built twice is equal. */
function kontoIdFor(navn: string): string {
  const h = createHash('sha256').update(navn).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function avsender(navn: string, overrides: Partial<Avsender> = {}): Avsender {
  return {
    navn,
    // Every avsender has one (given at creation; see the integrations contract for older ones).
    kontoId: kontoIdFor(navn),
    orgnr: '974760673',
    passordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==',
    forside: {
      navn: 'Bø kommune',
      adresselinjer: ['Postboks 1', 'Rådhuset'],
      postnr: '3801',
      poststed: 'BØ I TELEMARK',
      tekst: 'Spørsmål? Ring oss.',
    },
    varsling: {
      epostEmne: 'Brev fra {avsender}: {tittel}',
      epostTekst: 'Du har fått brev. {lenke}',
      smsTekst: 'Du har post fra {avsender}',
    },
    print: { leverandor: 'manual' },
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

function user(brukernavn: string, overrides: Partial<AdminUser> = {}): AdminUser {
  return {
    brukernavn,
    passordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==',
    rolle: 'admin',
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** Registers the ConfigStore contract tests for one adapter. */
export function configStoreContract(name: string, factory: () => Promise<ConfigStoreFixture>): void {
  void describe(`ConfigStore contract: ${name}`, () => {
    void it('creates and reads back an avsender exactly', () =>
      withFixture(factory, async ({ config }) => {
        const a = avsender(`bø-${randomUUID()}`, {
          varsling: { epostEmne: 'E', epostTekst: 'T', smsTekst: 'S', organisasjonEpost: 'post@bo.kommune.no' },
        });
        await config.createAvsender(a);
        assert.deepEqual(await config.getAvsender(a.navn), a);
        assert.equal(await config.getAvsender(`${a.navn}-ukjent`), undefined);
      }));

    void it('refuses a second avsender of the same name with ConflictError, keeping the first', () =>
      withFixture(factory, async ({ config }) => {
        const a = avsender(`dup-${randomUUID()}`);
        await config.createAvsender(a);
        await assert.rejects(config.createAvsender({ ...a, orgnr: '999999999' }), ConflictError);
        assert.deepEqual(await config.getAvsender(a.navn), a);
      }));

    void it('replaces an existing avsender; NotFoundError for an unknown one', () =>
      withFixture(factory, async ({ config }) => {
        const a = avsender(`upd-${randomUUID()}`);
        await config.createAvsender(a);
        const { orgnr: _o, ...withoutOrgnr } = a;
        const changed: Avsender = {
          ...withoutOrgnr,
          print: { leverandor: 'filedrop' },
          forside: { ...a.forside, tekst: 'Ny tekst' },
        };
        await config.updateAvsender(changed);
        assert.deepEqual(await config.getAvsender(a.navn), changed);
        await assert.rejects(config.updateAvsender(avsender(`ukjent-${randomUUID()}`)), NotFoundError);
        assert.equal((await config.listAvsendere()).length, 1, 'update never creates');
      }));

    void it('lists every avsender', () =>
      withFixture(factory, async ({ config }) => {
        const names = ['c', 'a', 'b'].map((n) => `${n}-${randomUUID()}`);
        for (const n of names) await config.createAvsender(avsender(n));
        const listed = await config.listAvsendere();
        assert.deepEqual(listed.map((a) => a.navn).sort(), [...names].sort());
        assert.deepEqual(
          listed.find((a) => a.navn === names[0]),
          avsender(names[0]!),
        );
      }));

    void it('creates or replaces users and lists them', () =>
      withFixture(factory, async ({ config }) => {
        const local = user(`lokal-${randomUUID()}`, { rolle: 'local-admin', orgnr: '974760673' });
        const sender = user(`sender-${randomUUID()}`, { rolle: 'sender-only', avsender: 'bø' });
        assert.deepEqual(await config.listUsers(), []);
        await config.putUser(local);
        await config.putUser(sender);
        assert.deepEqual(await config.getUser(local.brukernavn), local);
        const promoted = user(local.brukernavn, { rolle: 'admin', passordHash: 'scrypt$1$1$1$x$y' });
        await config.putUser(promoted);
        assert.deepEqual(await config.getUser(local.brukernavn), promoted, 'put replaces the whole user');
        assert.equal(await config.getUser(`${local.brukernavn}-ukjent`), undefined);
        const users = await config.listUsers();
        assert.deepEqual(users.map((u) => u.brukernavn).sort(), [local.brukernavn, sender.brukernavn].sort());
      }));

    void it("keeps a user's session key (rotated at logout) as written", () =>
      withFixture(factory, async ({ config }) => {
        const u = user(`utlogget-${randomUUID()}`);
        await config.putUser(u);
        const rotated = { ...u, sesjonsnokkel: randomUUID() };
        await config.putUser(rotated);
        assert.deepEqual(await config.getUser(u.brukernavn), rotated);
        const again = { ...rotated, sesjonsnokkel: randomUUID() };
        await config.putUser(again);
        assert.equal(
          (await config.getUser(u.brukernavn))?.sesjonsnokkel,
          again.sesjonsnokkel,
          'every node reading this store sees the newest key',
        );
      }));
  });
}
