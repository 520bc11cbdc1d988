/**
 * V11 KUN_DIGITAL_UTEN_LEVERANSEGARANTI at intake (src/app/digital-reach.ts) against the real
 * contact register adapters: a KRR file, and the HTTP adapter with nothing listening (KRR away).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireDigitalReach } from '../../../src/app/digital-reach.js';
import { FileContactRegister, HttpContactRegister } from '../../../src/channels/krr/index.js';
import { UnavailableError, ValidationError } from '../../../src/domain/errors.js';
import type { DigitalAdresse, ForsendelseInput } from '../../../src/domain/model.js';
import { validInput } from '../domain-validation/valid-input.js';
import { freePort } from '../../support/private-redis.js';

const AKTIV = '01019000164';
const RESERVERT = '01019000245';

function to(digitalAdresse: DigitalAdresse): ForsendelseInput {
  const input = validInput();
  return { ...input, kunDigitalLevering: true, mottaker: { ...input.mottaker, digitalAdresse } };
}

describe('requireDigitalReach (V11 KUN_DIGITAL_UTEN_LEVERANSEGARANTI)', () => {
  let dir: string;
  let krr: FileContactRegister;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digital-reach-'));
    const file = join(dir, 'krr.json');
    await writeFile(
      file,
      JSON.stringify({
        personer: [
          {
            personidentifikator: AKTIV,
            reservasjon: 'NEI',
            status: 'AKTIV',
            kontaktinformasjon: { epostadresse: 'a@example.no' },
          },
          { personidentifikator: RESERVERT, reservasjon: 'JA', status: 'AKTIV' },
        ],
      }),
    );
    krr = new FileContactRegister(file);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lets a person KRR reaches and any organisation through', async () => {
    await requireDigitalReach(krr, to({ type: 'person', fnr: AKTIV }));
    await requireDigitalReach(krr, to({ type: 'organisasjon', orgnr: '974760673' }));
  });

  it('refuses a reserved or unknown person on leveringsmetode, saying why', async () => {
    for (const [fnr, why] of [
      [RESERVERT, /reservert seg mot digital post/],
      ['01019000083', /ikke registrert i Kontakt- og reservasjonsregisteret/],
    ] as const) {
      await assert.rejects(requireDigitalReach(krr, to({ type: 'person', fnr })), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.equal(e.problems[0]?.field, 'leveringsmetode');
        assert.match(e.message, why);
        return true;
      });
    }
  });

  it('answers 503 (neither accepted nor refused for good) while KRR cannot be reached', async () => {
    const away = new HttpContactRegister({
      url: `http://127.0.0.1:${await freePort()}/rest/v1/personer`,
      token: 't',
      timeoutMs: 2000,
    });
    await assert.rejects(requireDigitalReach(away, to({ type: 'person', fnr: AKTIV })), (e: unknown) => {
      assert.ok(e instanceof UnavailableError);
      assert.equal(e.httpStatus, 503);
      assert.match(e.message, /kan ikke nås nå/);
      return true;
    });
  });
});
