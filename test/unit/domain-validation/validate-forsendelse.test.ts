import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateForsendelse } from '../../../src/domain/validation/index.js';
import type { ForsendelseInput } from '../../../src/domain/model.js';
import { assertNoProblemOn, assertProblem } from './assertions.js';
import { FNR, NOW, ORGNR, POST_ADRESSE, validInput } from './valid-input.js';

const check = (overrides: Partial<ForsendelseInput>) => validateForsendelse(validInput(overrides), { now: NOW });
const digitalOnly = { kunDigitalLevering: true } as const;

describe('validateForsendelse: the baseline', () => {
  it('finds nothing wrong with a valid letter', () => {
    assert.deepEqual(check({}), []);
  });

  it('reports every broken rule at once', () => {
    const problems = check({ tittel: '', konteringskode: 'a b', dokumenter: [] });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['tittel', 'konteringskode', 'dokumenter'],
    );
  });
});

describe('tittel', () => {
  it('is required', () => {
    assertProblem(check({ tittel: '' }), 'tittel', /^Mangler tittel: tittel må fylles ut$/);
    assertProblem(check({ tittel: '   ' }), 'tittel', /Mangler tittel/);
  });

  it('is required also when it holds only characters that show as nothing', () => {
    // A title, name or city of only zero-width spaces went to print blank (a review, 6 December 2026).
    for (const blank of [
      '\u200b',
      '\u2060\u200b',
      '\u00a0\u200c',
      '\u3164',
      '\u2800',
      '\u0007',
      '\u034f',
      '\ufe0f',
      '\u180b',
      '\u{e0100}',
    ])
      assertProblem(check({ tittel: blank }), 'tittel', /Mangler tittel/);
    assertNoProblemOn(check({ tittel: 'Vedtak\u200b' }), 'tittel');
    // Real text with joiners and marks stays text: Sámi, a ZWJ emoji, a right-to-left name.
    for (const text of ['Áile Ŋuoŋo', 'Čáhcesuolu', 'Familie 👨\u200d👩\u200d👧', '\u200fמרים'])
      assertNoProblemOn(check({ tittel: text }), 'tittel');
  });

  it('has at most 1000 characters', () => {
    assertProblem(
      check({ tittel: 'x'.repeat(1001) }),
      'tittel',
      /For lang tittel: tittel kan ha høyst 1000 tegn \(har 1001\)/,
    );
    assertNoProblemOn(check({ tittel: 'x'.repeat(1000) }), 'tittel');
  });
});

describe('mottaker and its postal address', () => {
  it('requires a mottaker', () => {
    assertProblem(check({ mottaker: undefined }), 'mottaker', /^Mangler mottaker/);
  });

  it('requires a postal address when the letter may be printed, not when digital-only', () => {
    const noPost = { mottaker: { digitalAdresse: { type: 'person', fnr: FNR } } } as const;
    assertProblem(check(noPost), 'mottaker.postAdresse', /Mangler postadresse/);
    assertNoProblemOn(check({ ...noPost, ...digitalOnly }), 'mottaker.postAdresse');
  });

  it('always requires navn', () => {
    const mottaker = {
      digitalAdresse: { type: 'person', fnr: FNR },
      postAdresse: { ...POST_ADRESSE, navn: ' ' },
    } as const;
    assertProblem(check({ mottaker }), 'mottaker.postAdresse.navn', /^Mangler navn/);
    assertProblem(check({ mottaker, ...digitalOnly }), 'mottaker.postAdresse.navn', /^Mangler navn/);
  });

  it('requires a 4-digit postnr for Norwegian addresses that may be printed', () => {
    const withPostnr = (postnr: string | undefined, land?: string) => ({
      mottaker: { postAdresse: { ...POST_ADRESSE, postnr, land } },
    });
    assertProblem(check(withPostnr(undefined)), 'mottaker.postAdresse.postnr', /^Mangler postnummer/);
    assertProblem(check(withPostnr(undefined, 'NO')), 'mottaker.postAdresse.postnr', /Mangler postnummer/);
    assertProblem(check(withPostnr(undefined, 'Norge')), 'mottaker.postAdresse.postnr', /Mangler postnummer/);
    assertProblem(check(withPostnr(undefined, 'nor')), 'mottaker.postAdresse.postnr', /Mangler postnummer/);
    assertProblem(
      check(withPostnr('155')),
      'mottaker.postAdresse.postnr',
      /^Ugyldig postnummer: .* må være 4 siffer .*«155»/,
    );
    assertProblem(check(withPostnr('01550')), 'mottaker.postAdresse.postnr', /Ugyldig postnummer/);
    assertNoProblemOn(check(withPostnr('0155', 'Norge')), 'mottaker.postAdresse.postnr');
  });

  it('needs no postnr for a foreign address', () => {
    const foreign = {
      mottaker: { postAdresse: { navn: 'Sven Svensson', postnr: undefined, poststed: 'STOCKHOLM', land: 'Sverige' } },
    };
    assert.deepEqual(check(foreign), []);
    const foreignPostnr = {
      mottaker: { postAdresse: { navn: 'Sven Svensson', postnr: 'SE-111 22', poststed: 'STOCKHOLM', land: 'SE' } },
    };
    assert.deepEqual(check(foreignPostnr), []);
  });

  it('requires poststed when the letter may be printed, foreign or not', () => {
    assertProblem(
      check({ mottaker: { postAdresse: { ...POST_ADRESSE, poststed: '' } } }),
      'mottaker.postAdresse.poststed',
      /^Mangler poststed/,
    );
    const foreign = { navn: 'Sven Svensson', land: 'Sverige' };
    assertProblem(check({ mottaker: { postAdresse: foreign } }), 'mottaker.postAdresse.poststed', /Mangler poststed/);
  });

  it('needs neither postnr nor poststed for a digital-only letter', () => {
    const mottaker = {
      digitalAdresse: { type: 'person', fnr: FNR },
      postAdresse: { navn: 'Kari Nordmann', postnr: 'x' },
    } as const;
    assert.deepEqual(check({ mottaker, ...digitalOnly }), []);
  });
});

describe('fødselsnummer and organisasjonsnummer', () => {
  it('rejects an fnr with wrong control digits, naming the field but not the number', () => {
    const bad = FNR.slice(0, 10) + String((Number(FNR[10]) + 1) % 10);
    const problems = check({ mottaker: { digitalAdresse: { type: 'person', fnr: bad }, postAdresse: POST_ADRESSE } });
    assert.deepEqual(problems, [
      {
        field: 'mottaker.digitalAdresse.fnr',
        message: 'Ugyldig fødselsnummer: mottaker.digitalAdresse.fnr må være 11 siffer med gyldige kontrollsiffer',
      },
    ]);
    assert.ok(!problems[0]?.message.includes(bad));
  });

  it('rejects an orgnr with a wrong control digit and accepts a real one', () => {
    const org = (orgnr: string) => ({
      mottaker: { digitalAdresse: { type: 'organisasjon', orgnr } as const, postAdresse: POST_ADRESSE },
    });
    assertProblem(
      check(org('974760674')),
      'mottaker.digitalAdresse.orgnr',
      /^Ugyldig organisasjonsnummer: .* 9 siffer med gyldig kontrollsiffer/,
    );
    assertProblem(check(org('97476067')), 'mottaker.digitalAdresse.orgnr', /Ugyldig organisasjonsnummer/);
    assert.deepEqual(check(org(ORGNR)), []);
  });

  it('checks the digital addresses in eksponertFor too', () => {
    assertProblem(
      check({
        eksponertFor: [
          { type: 'organisasjon', orgnr: ORGNR },
          { type: 'person', fnr: '12345678901' },
        ],
      }),
      'eksponertFor[1].fnr',
      /Ugyldig fødselsnummer/,
    );
    assert.deepEqual(
      check({
        eksponertFor: [
          { type: 'organisasjon', orgnr: ORGNR },
          { type: 'person', fnr: FNR },
        ],
      }),
      [],
    );
  });
});

describe('kunDigitalLevering', () => {
  it('requires an fnr or orgnr', () => {
    assertProblem(
      check({ ...digitalOnly, mottaker: { postAdresse: POST_ADRESSE } }),
      'mottaker.digitalAdresse',
      /Mangler digital adresse: .*kunDigitalLevering/,
    );
    // A blank orgnr is no orgnr (docs/interfaces.md §15.5: the Node client sends organisasjonDigitalAdresse without one).
    const blankOrg = { digitalAdresse: { type: 'organisasjon', orgnr: '' } as const, postAdresse: POST_ADRESSE };
    assertProblem(check({ ...digitalOnly, mottaker: blankOrg }), 'mottaker.digitalAdresse', /Mangler digital adresse/);
    assertNoProblemOn(check({ mottaker: blankOrg }), 'mottaker.digitalAdresse');
    assert.deepEqual(
      check({ ...digitalOnly, mottaker: { digitalAdresse: { type: 'organisasjon', orgnr: ORGNR } } }),
      [],
    );
  });
});

describe('konteringskode', () => {
  it('accepts letters including æøå, digits, hyphen and dot, up to 20', () => {
    for (const ok of ['', 'ABC-123.æøå', 'ØÆÅ', 'x'.repeat(20)])
      assertNoProblemOn(check({ konteringskode: ok }), 'konteringskode');
  });

  it('rejects other characters and more than 20', () => {
    for (const bad of ['abc_def', 'a b', 'x'.repeat(21), 'kode/1', 'é']) {
      assertProblem(
        check({ konteringskode: bad }),
        'konteringskode',
        /^Ugyldig konteringskode: konteringskode kan ha høyst 20 tegn/,
      );
    }
  });
  it('accepts underscore where the door allows it (REST v2/v3), and nothing more', () => {
    const v2v3 = (konteringskode: string) =>
      validateForsendelse(validInput({ konteringskode }), { now: NOW, konteringskodeUnderscore: true });
    assertNoProblemOn(v2v3('ans_123'), 'konteringskode');
    for (const bad of ['a b', 'x'.repeat(21), 'kode/1']) {
      assertProblem(v2v3(bad), 'konteringskode', /bindestrek, understrek og punktum/);
    }
  });
});

describe('krevNiva4Innlogging', () => {
  it('requires kryptert', () => {
    assertProblem(
      check({ krevNiva4Innlogging: true, kryptert: false }),
      'kryptert',
      /Mangler kryptering: kryptert må være true når krevNiva4Innlogging/,
    );
    assert.deepEqual(check({ krevNiva4Innlogging: true, kryptert: true }), []);
  });
});

describe('lenker', () => {
  const lenke = (urlLenke: string, urlTekst = 'Les mer') => ({ lenker: [{ urlLenke, urlTekst }] });

  it('accepts http, https and ftp URLs with a text', () => {
    for (const url of ['https://www.ks.no/svarut', 'http://example.no', 'ftp://ftp.example.no/fil.pdf'])
      assert.deepEqual(check(lenke(url)), []);
  });

  it('rejects other schemes and things that are not URLs', () => {
    for (const url of [
      'javascript:alert(1)',
      'mailto:post@example.no',
      'file:///etc/passwd',
      'ssh://git.example.no/repo',
      'ws://example.no',
      'www.ks.no',
      'https://',
      'https://ks.no/a b',
      ' https://ks.no',
    ]) {
      assertProblem(check(lenke(url)), 'lenker[0].urlLenke', /^Ugyldig lenke: .* http-, https- eller ftp-adresse/);
    }
  });

  it('requires urlLenke and urlTekst', () => {
    assertProblem(check(lenke('')), 'lenker[0].urlLenke', /^Mangler lenke/);
    assertProblem(check(lenke('https://ks.no', ' ')), 'lenker[0].urlTekst', /^Mangler lenketekst/);
  });
});

describe('ekstraMetadata of the forsendelse', () => {
  it('requires unique keys', () => {
    const meta = (keys: string[]) => ({
      metadataFraAvleverendeSystem: { ekstraMetadata: keys.map((key) => ({ key, value: 'v' })) },
    });
    assertProblem(
      check(meta(['a', 'b', 'a'])),
      'metadataFraAvleverendeSystem.ekstraMetadata[2].key',
      /Metadatanøkkel ikke unik: .*«a».*ekstraMetadata\[0\]/,
    );
    assert.deepEqual(check(meta(['a', 'b', 'A'])), []);
  });
});

describe('svarSendesTil and svarPaForsendelseLink', () => {
  const fullReply = {
    digitalAdresse: { type: 'organisasjon', orgnr: ORGNR } as const,
    postAdresse: { navn: 'Eksempel kommune', postnr: '0037', poststed: 'OSLO' },
  };

  it('needs a full postal address, even on a digital-only letter', () => {
    assertProblem(
      check({ svarSendesTil: { digitalAdresse: fullReply.digitalAdresse } }),
      'svarSendesTil.postAdresse',
      /Mangler postadresse/,
    );
    const noPostnr = { ...fullReply, postAdresse: { navn: 'Eksempel kommune', poststed: 'OSLO' } };
    assertProblem(
      check({ ...digitalOnly, svarSendesTil: noPostnr }),
      'svarSendesTil.postAdresse.postnr',
      /Mangler postnummer/,
    );
    assert.deepEqual(check({ svarSendesTil: fullReply }), []);
  });

  it('requires an orgnr in svarSendesTil for svarPaForsendelseLink', () => {
    assertProblem(
      check({ svarPaForsendelseLink: true }),
      'svarSendesTil.digitalAdresse.orgnr',
      /Mangler svaradresse: .*svarPaForsendelseLink/,
    );
    const personReply = { ...fullReply, digitalAdresse: { type: 'person', fnr: FNR } as const };
    assertProblem(
      check({ svarPaForsendelseLink: true, svarSendesTil: personReply }),
      'svarSendesTil.digitalAdresse.orgnr',
      /Mangler svaradresse/,
    );
    assert.deepEqual(check({ svarPaForsendelseLink: true, svarSendesTil: fullReply }), []);
  });

  it('reports an invalid orgnr once, as invalid', () => {
    const badOrg = { ...fullReply, digitalAdresse: { type: 'organisasjon', orgnr: '974760674' } as const };
    const problems = check({ svarPaForsendelseLink: true, svarSendesTil: badOrg });
    assert.deepEqual(
      problems.map((p) => p.message),
      ['Ugyldig organisasjonsnummer: svarSendesTil.digitalAdresse.orgnr må være 9 siffer med gyldig kontrollsiffer'],
    );
  });
});

describe('svarPaForsendelse', () => {
  it('is the id of a forsendelse: a UUID, in either case', () => {
    for (const bad of ['abc', 'S6', '123e4567-e89b-12d3-a456-42661417400', '{123e4567-e89b-12d3-a456-426614174000}'])
      assertProblem(
        check({ svarPaForsendelse: bad }),
        'svarPaForsendelse',
        /^Ugyldig svarPaForsendelse: svarPaForsendelse må være id-en til en forsendelse, en UUID/,
      );
    for (const good of ['123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000'])
      assertNoProblemOn(check({ svarPaForsendelse: good }), 'svarPaForsendelse');
  });
});

describe('ekstraMetadata', () => {
  it('needs a key in every entry', () => {
    const entries = [
      { key: '', value: 'x' },
      { key: ' ', value: 'y' },
      { key: 'saksnr', value: '1' },
    ];
    const problems = check({ metadataFraAvleverendeSystem: { ekstraMetadata: entries } });
    assertProblem(problems, 'metadataFraAvleverendeSystem.ekstraMetadata[0].key', /^Mangler metadatanøkkel/);
    assertProblem(problems, 'metadataFraAvleverendeSystem.ekstraMetadata[1].key', /^Mangler metadatanøkkel/);
    assertNoProblemOn(problems, 'metadataFraAvleverendeSystem.ekstraMetadata[2].key');
  });
});
