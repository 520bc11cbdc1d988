/**
 * The SvarInn forsendelse JSON: what the receiving archive is handed of the sender's case
 * metadata (docs/interfaces.md §11).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SvarInnForsendelse } from '../../../src/app/svarinn-service.js';
import type { ForsendelseInput } from '../../../src/domain/model.js';
import { svarInnForsendelseJson } from '../../../src/http/svarinn/svarinn-json.js';

const input: ForsendelseInput = {
  tittel: 'Melding',
  mottaker: { postAdresse: { navn: 'Mottaker AS' }, digitalAdresse: { type: 'organisasjon', orgnr: '910076787' } },
  kryptert: false,
  kunDigitalLevering: true,
  taushetsbelagtPost: false,
  krevNiva4Innlogging: false,
  svarPaForsendelseLink: false,
  lenker: [],
  eksponertFor: [],
  dokumenter: [],
};

function forsendelse(over: Partial<ForsendelseInput>): SvarInnForsendelse {
  return {
    id: '3f0c6a4e-2c1d-4b7a-9d55-0b8f3c1e2a10',
    tittel: 'Melding',
    date: Date.UTC(2026, 11, 5),
    status: 'KLAR_FOR_MOTTAK',
    niva: 3,
    input: { ...input, ...over },
    filmetadata: [],
  } as unknown as SvarInnForsendelse;
}

describe('SvarInn forsendelse JSON', () => {
  it("hands on REST v2/v3's archive ids (mappeId, systemId, registreringsId)", () => {
    const json = svarInnForsendelseJson(
      forsendelse({
        metadataForImport: { saksaar: 2026, mappeId: 'M-1', systemId: 'S-1', registreringsId: 'R-1', journalaar: 2026 },
      }),
      'https://budbringer.example/tjenester/svarinn/forsendelse/x',
    );
    const imp = json.metadataForImport as Record<string, unknown>;
    assert.equal(imp.mappeId, 'M-1');
    assert.equal(imp.systemId, 'S-1');
    assert.equal(imp.registreringsId, 'R-1');
    assert.equal(imp.saksaar, 2026);
    assert.deepEqual(Object.keys(imp).sort(), [
      'dokumentetsDato',
      'journalposttype',
      'journalstatus',
      'mappeId',
      'registreringsId',
      'saksaar',
      'sakssekvensnummer',
      'systemId',
      'tittel',
    ]);
  });

  it('writes null for archive ids the sender did not give', () => {
    const json = svarInnForsendelseJson(forsendelse({}), 'https://budbringer.example/x');
    const imp = json.metadataForImport as Record<string, unknown>;
    assert.equal(imp.mappeId, null);
    assert.equal(imp.systemId, null);
    assert.equal(imp.registreringsId, null);
  });

  it('lists a letter stored before intake took only int32 and whole ms so that Java receivers read it', () => {
    const json = svarInnForsendelseJson(
      forsendelse({
        metadataFraAvleverendeSystem: {
          sakssekvensnummer: 4_000_000_000,
          saksaar: 2026,
          journalsekvensnummer: 2 ** 31 - 1,
          journalpostnummer: -(2 ** 31) - 1,
          journaldato: 1767225600000.5,
          dokumentetsDato: 1767225600000,
        },
        metadataForImport: { sakssekvensnummer: 2 ** 40, dokumentetsDato: 1767225600000.9 },
      }),
      'https://budbringer.example/x',
    );
    const fra = json.metadataFraAvleverendeSystem as Record<string, unknown>;
    const imp = json.metadataForImport as Record<string, unknown>;
    // Gson and Jackson read these into Java int: one out of range made the whole list unreadable.
    assert.equal(fra.sakssekvensnummer, 0);
    assert.equal(fra.saksaar, 2026);
    assert.equal(fra.journalsekvensnummer, 2 ** 31 - 1);
    assert.equal(fra.journalpostnummer, 0);
    assert.equal(imp.sakssekvensnummer, 0);
    // eFormidling parses the dates with Long.parseLong.
    assert.equal(fra.journaldato, 1767225600000);
    assert.equal(fra.dokumentetsDato, 1767225600000);
    assert.equal(imp.dokumentetsDato, 1767225600000);
    for (const n of [fra.sakssekvensnummer, fra.journaldato, imp.dokumentetsDato])
      assert.match(JSON.stringify(n), /^-?\d+$/);
  });
});
