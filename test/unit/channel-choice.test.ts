import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseKanal, type KrrPerson } from '../../src/domain/channel-choice.js';
import type { DigitalAdresse, ForsendelseInput } from '../../src/domain/model.js';

const FNR = '01010112345';
const ORGNR = '974760673';

/** A valid forsendelse input with the given recipient and overrides. */
function input(
  digitalAdresse: DigitalAdresse | undefined,
  overrides: Partial<ForsendelseInput> = {},
): ForsendelseInput {
  return {
    tittel: 'Vedtak om byggesøknad',
    mottaker: {
      ...(digitalAdresse === undefined ? {} : { digitalAdresse }),
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'OSLO' },
    },
    krevNiva4Innlogging: false,
    kryptert: false,
    kunDigitalLevering: false,
    taushetsbelagtPost: false,
    lenker: [],
    svarPaForsendelseLink: false,
    eksponertFor: [],
    dokumenter: [],
    ...overrides,
  };
}

const person: DigitalAdresse = { type: 'person', fnr: FNR };
const org: DigitalAdresse = { type: 'organisasjon', orgnr: ORGNR };
const kunDigital = { kunDigitalLevering: true };

/** A KRR answer for FNR: active, not reserved, with e-mail and mobile, plus overrides. */
function krr(overrides: Partial<KrrPerson> = {}): KrrPerson {
  return {
    personidentifikator: FNR,
    reservasjon: 'NEI',
    status: 'AKTIV',
    kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: '+4799999999' },
    ...overrides,
  };
}

/** A receiving system (SvarInn) of the organisation. */
const ARKIV = { id: 'c0ffee00-0000-4000-8000-000000000001', navn: 'Sak/arkiv' };

void describe('chooseKanal: persons', () => {
  void it('given a reserved person, when choosing, then print with the reservation as reason', () => {
    const valg = chooseKanal({ input: input(person), krr: krr({ reservasjon: 'JA' }) });
    assert.deepEqual(valg, {
      kanal: 'print',
      reason: 'Mottaker har reservert seg mot digital post i Kontakt- og reservasjonsregisteret; sendes til print',
    });
  });

  void it('given a reserved person with a digital mailbox, then the reservation still wins', () => {
    const valg = chooseKanal({
      input: input(person),
      krr: krr({
        reservasjon: 'JA',
        digital_post: { postkasseadresse: 'kari#1', postkasseleverandoeradresse: '984661185' },
      }),
    });
    assert.equal(valg.kanal, 'print');
    assert.match(valg.reason, /reservert/);
  });

  void it('given a person deleted from KRR, then print', () => {
    const valg = chooseKanal({ input: input(person), krr: krr({ status: 'SLETTET', kontaktinformasjon: undefined }) });
    assert.deepEqual(valg, {
      kanal: 'print',
      reason: 'Mottaker er slettet fra Kontakt- og reservasjonsregisteret; sendes til print',
    });
  });

  void it('given a person not registered in KRR (status or no answer at all), then print', () => {
    const expected = {
      kanal: 'print',
      reason: 'Mottaker er ikke registrert i Kontakt- og reservasjonsregisteret; sendes til print',
    };
    const notRegistered: KrrPerson = { personidentifikator: FNR, status: 'IKKE_REGISTRERT' };
    assert.deepEqual(chooseKanal({ input: input(person), krr: notRegistered }), expected);
    assert.deepEqual(chooseKanal({ input: input(person), krr: undefined }), expected);
    assert.deepEqual(chooseKanal({ input: input(person), krr: { personidentifikator: FNR } }), expected);
  });

  void it('given an active person without contact information, then print', () => {
    for (const kontaktinformasjon of [undefined, {}, { epostadresse: '  ', mobiltelefonnummer: '' }]) {
      const valg = chooseKanal({ input: input(person), krr: krr({ kontaktinformasjon }) });
      assert.deepEqual(valg, {
        kanal: 'print',
        reason:
          'Mottaker har ikke registrert e-post eller mobilnummer i Kontakt- og reservasjonsregisteret; sendes til print',
      });
    }
  });

  void it('given outdated contact information (KAN_IKKE_VARSLES), then it is not used and the letter is printed', () => {
    const valg = chooseKanal({ input: input(person), krr: krr({ varslingsstatus: 'KAN_IKKE_VARSLES' }) });
    assert.equal(valg.kanal, 'print');
    assert.equal(valg.varsling, undefined);
    assert.match(valg.reason, /utdatert/);
  });

  void it('given an active person with e-mail and mobile, then the digital inbox notified on both', () => {
    const valg = chooseKanal({ input: input(person), krr: krr({ varslingsstatus: 'KAN_VARSLES' }) });
    assert.deepEqual(valg, {
      kanal: 'digital',
      varsling: { epost: 'kari@example.no', sms: '+4799999999' },
      reason:
        'Mottaker er aktiv i Kontakt- og reservasjonsregisteret; sendes til digital innboks og varsles på e-post og SMS',
    });
  });

  void it('given only an e-mail address, then notified by e-mail only', () => {
    const valg = chooseKanal({
      input: input(person),
      krr: krr({ kontaktinformasjon: { epostadresse: ' kari@example.no ' } }),
    });
    assert.equal(valg.kanal, 'digital');
    assert.deepEqual(valg.varsling, { epost: 'kari@example.no' });
    assert.match(valg.reason, /varsles på e-post$/);
  });

  void it('given an e-mail address that is more than one mailbox, then it is not used: SMS, or print', () => {
    const two = 'kari@example.no, annen@example.no';
    const medSms = chooseKanal({
      input: input(person),
      krr: krr({ kontaktinformasjon: { epostadresse: two, mobiltelefonnummer: '99999999' } }),
    });
    assert.equal(medSms.kanal, 'digital');
    assert.deepEqual(medSms.varsling, { sms: '99999999' });
    for (const epostadresse of [two, 'Kari <kari@example.no>', 'kari@example.no\r\nBcc: a@b.no']) {
      const valg = chooseKanal({ input: input(person), krr: krr({ kontaktinformasjon: { epostadresse } }) });
      assert.equal(valg.kanal, 'print', epostadresse);
    }
  });

  void it('given a mobile number that is more than one number, then it is not used: e-mail, or print (found in review)', () => {
    const two = '+4799999999\r\n&to=+4712345678';
    const medEpost = chooseKanal({
      input: input(person),
      krr: krr({ kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: two } }),
    });
    assert.equal(medEpost.kanal, 'digital');
    assert.deepEqual(medEpost.varsling, { epost: 'kari@example.no' });
    for (const mobiltelefonnummer of [two, '+4799999999,+4712345678', '99999999 / 98888888', 'ring meg']) {
      const valg = chooseKanal({ input: input(person), krr: krr({ kontaktinformasjon: { mobiltelefonnummer } }) });
      assert.equal(valg.kanal, 'print', mobiltelefonnummer);
    }
    const spaced = chooseKanal({
      input: input(person),
      krr: krr({ kontaktinformasjon: { mobiltelefonnummer: ' +47 999 99 999 ' } }),
    });
    assert.deepEqual(spaced.varsling, { sms: '+4799999999' }, 'spaces between digit groups are read past');
  });

  void it('given only a mobile number, then notified by SMS only', () => {
    const valg = chooseKanal({
      input: input(person),
      krr: krr({ kontaktinformasjon: { mobiltelefonnummer: '99999999' } }),
    });
    assert.equal(valg.kanal, 'digital');
    assert.deepEqual(valg.varsling, { sms: '99999999' });
    assert.match(valg.reason, /varsles på SMS$/);
  });

  void it('given a level-4 letter and no mobile number, then print (or no channel when digital only): its code comes by SMS', () => {
    const niva4 = { krevNiva4Innlogging: true, kryptert: true };
    const epostOnly = krr({ kontaktinformasjon: { epostadresse: 'kari@example.no' } });
    assert.deepEqual(chooseKanal({ input: input(person, niva4), krr: epostOnly }), {
      kanal: 'print',
      reason:
        'Mottaker har ikke mobilnummer i Kontakt- og reservasjonsregisteret, som innlogging på nivå 4 krever; sendes til print',
    });
    assert.equal(chooseKanal({ input: input(person, { ...niva4, ...kunDigital }), krr: epostOnly }).kanal, 'ingen');
    assert.equal(chooseKanal({ input: input(person, niva4), krr: krr() }).kanal, 'digital', 'with a mobile number');
  });

  void it('given a digital mailbox at a known provider, then the digital inbox notified as usual, the provider named as not delivered to', () => {
    const valg = chooseKanal({
      input: input(person),
      krr: krr({ digital_post: { postkasseadresse: 'kari.nordmann#1234', postkasseleverandoeradresse: '984661185' } }),
    });
    assert.deepEqual(valg, {
      kanal: 'digital',
      varsling: { epost: 'kari@example.no', sms: '+4799999999' },
      reason:
        'Mottaker har digital postkasse hos Digipost, som Budbringer ikke leverer til. Mottaker er aktiv i Kontakt- og reservasjonsregisteret; sendes til digital innboks og varsles på e-post og SMS',
    });
  });

  void it('given a digital mailbox but no contact information, then print (or no channel when digital only): nothing reaches the mailbox, and nobody could be told of the inbox (was digital, VARSLET without a notice; found in review)', () => {
    const mailboxOnly = krr({
      kontaktinformasjon: undefined,
      digital_post: { postkasseadresse: 'x', postkasseleverandoeradresse: '996460320' },
    });
    const valg = chooseKanal({ input: input(person), krr: mailboxOnly });
    assert.equal(valg.kanal, 'print');
    assert.equal(valg.varsling, undefined);
    assert.equal(
      valg.reason,
      'Mottaker har digital postkasse hos e-Boks, som Budbringer ikke leverer til. Mottaker har ikke registrert e-post eller mobilnummer i Kontakt- og reservasjonsregisteret; sendes til print',
    );
    assert.equal(chooseKanal({ input: input(person, kunDigital), krr: mailboxOnly }).kanal, 'ingen');
    const outdated = krr({ varslingsstatus: 'KAN_IKKE_VARSLES', digital_post: mailboxOnly.digital_post });
    assert.equal(chooseKanal({ input: input(person), krr: outdated }).kanal, 'print');
  });

  void it('given an unknown mailbox provider, then the reason names its organisation number', () => {
    const valg = chooseKanal({
      input: input(person),
      krr: krr({ digital_post: { postkasseadresse: 'x', postkasseleverandoeradresse: '123456789' } }),
    });
    assert.match(
      valg.reason,
      /^Mottaker har digital postkasse hos postkasseleverandør 123456789, som Budbringer ikke leverer til\. /,
    );
  });

  void it('given an incomplete mailbox address, then it is ignored', () => {
    const valg = chooseKanal({ input: input(person), krr: krr({ digital_post: { postkasseadresse: 'x' } }) });
    assert.equal(valg.kanal, 'digital');
    assert.match(valg.reason, /digital innboks/);
  });

  void it('given a KRR answer for someone else, then it refuses rather than notify the wrong person', () => {
    assert.throws(
      () => chooseKanal({ input: input(person), krr: krr({ personidentifikator: '02020212345' }) }),
      /annen person/,
    );
  });

  void it('never puts the fødselsnummer or contact details in the reason', () => {
    const valg = chooseKanal({ input: input(person), krr: krr() });
    assert.doesNotMatch(valg.reason, new RegExp(`${FNR}|kari@example|99999999`));
  });
});

void describe('chooseKanal: kunDigitalLevering', () => {
  const cases: [string, KrrPerson | undefined, RegExp][] = [
    ['reserved', krr({ reservasjon: 'JA' }), /reservert seg/],
    ['deleted', krr({ status: 'SLETTET' }), /slettet fra/],
    ['not registered', { personidentifikator: FNR, status: 'IKKE_REGISTRERT' }, /ikke registrert/],
    ['unknown to KRR', undefined, /ikke registrert/],
    ['without contact information', krr({ kontaktinformasjon: {} }), /ikke registrert e-post/],
    ['with outdated contact information', krr({ varslingsstatus: 'KAN_IKKE_VARSLES' }), /utdatert/],
  ];
  for (const [what, answer, why] of cases) {
    void it(`given a person ${what}, then no channel ('ingen', ends IKKE_LEVERT) with the reason`, () => {
      const valg = chooseKanal({ input: input(person, kunDigital), krr: answer });
      assert.equal(valg.kanal, 'ingen');
      assert.match(valg.reason, why);
      assert.match(valg.reason, /skal kun leveres digitalt; den kan ikke leveres$/);
      assert.equal(valg.varsling, undefined);
    });
  }

  void it('given no fnr/orgnr, then no channel instead of print', () => {
    const valg = chooseKanal({ input: input(undefined, kunDigital) });
    assert.deepEqual(valg, {
      kanal: 'ingen',
      reason:
        'Mottaker har verken fødselsnummer eller organisasjonsnummer, og forsendelsen skal kun leveres digitalt; den kan ikke leveres',
    });
  });

  void it('given a person who can receive digitally, then digital as usual', () => {
    const valg = chooseKanal({ input: input(person, kunDigital), krr: krr() });
    assert.equal(valg.kanal, 'digital');
    assert.deepEqual(valg.varsling, { epost: 'kari@example.no', sms: '+4799999999' });
  });

  void it('given an organisation, then digital or SvarInn as usual', () => {
    // Without an address to notify the organisation at, it cannot be delivered (below).
    assert.equal(chooseKanal({ input: input(org, kunDigital), organisasjonEpost: 'post@kommune.no' }).kanal, 'digital');
    assert.equal(chooseKanal({ input: input(org, kunDigital), mottakersystem: ARKIV }).kanal, 'svarinn');
  });

  void it('never gives print, whatever the KRR answer', () => {
    const answers: (KrrPerson | undefined)[] = [undefined];
    for (const reservasjon of [undefined, 'JA', 'NEI'] as const) {
      for (const status of [undefined, 'AKTIV', 'SLETTET', 'IKKE_REGISTRERT'] as const) {
        for (const kontaktinformasjon of [undefined, { epostadresse: 'a@b.no' }]) {
          answers.push({ personidentifikator: FNR, reservasjon, status, kontaktinformasjon });
        }
      }
    }
    for (const answer of answers) {
      assert.notEqual(chooseKanal({ input: input(person, kunDigital), krr: answer }).kanal, 'print');
    }
    assert.equal(answers.length, 25);
  });
});

void describe('chooseKanal: organisations and missing addresses', () => {
  void it('given an organisation with a receiving system, then SvarInn', () => {
    const valg = chooseKanal({ input: input(org), mottakersystem: ARKIV, organisasjonEpost: 'post@kommune.no' });
    assert.deepEqual(valg, {
      kanal: 'svarinn',
      mottakersystem: ARKIV.id,
      reason: 'Mottaker har eget mottakersystem (SvarInn: Sak/arkiv); forsendelsen er klar for mottak',
    });
  });

  void it('given an organisation without a receiving system, then the digital inbox notified at the configured address', () => {
    const valg = chooseKanal({ input: input(org), mottakersystem: undefined, organisasjonEpost: 'post@kommune.no' });
    assert.deepEqual(valg, {
      kanal: 'digital',
      varsling: { epost: 'post@kommune.no' },
      reason: 'Mottaker er en organisasjon uten eget mottakersystem; sendes til digital innboks og varsles på e-post',
    });
  });

  void it('given an organisation whose receiving system gave the letter up, then the reason says so, not that it has none', () => {
    const valg = chooseKanal({ input: input(org), organisasjonEpost: 'post@kommune.no', mottakFeilet: true });
    assert.equal(valg.kanal, 'digital');
    assert.equal(
      valg.reason,
      'Mottakers mottakersystem kunne ikke ta imot forsendelsen; sendes til digital innboks og varsles på e-post',
    );
  });

  void it('given a level-4 letter to an organisation without a receiving system, then print at once (or no channel when digital only): no mobile takes its code', () => {
    const niva4 = { krevNiva4Innlogging: true, kryptert: true };
    const because =
      'Mottaker er en organisasjon uten eget mottakersystem, og et brev som krever innlogging på nivå 4 kan bare åpnes med engangskode på SMS til en person';
    assert.deepEqual(chooseKanal({ input: input(org, niva4), organisasjonEpost: 'post@kommune.no' }), {
      kanal: 'print',
      reason: `${because}; sendes til print`,
    });
    assert.deepEqual(
      chooseKanal({ input: input(org, { ...niva4, kunDigitalLevering: true }), organisasjonEpost: 'post@kommune.no' }),
      { kanal: 'ingen', reason: `${because}, og forsendelsen skal kun leveres digitalt; den kan ikke leveres` },
    );
    const gaveUp = chooseKanal({ input: input(org, niva4), organisasjonEpost: 'post@kommune.no', mottakFeilet: true });
    assert.equal(gaveUp.kanal, 'print');
    assert.match(gaveUp.reason, /^Mottakers mottakersystem kunne ikke ta imot forsendelsen, og et brev som krever/);
    // Its receiving system takes it as before: the archive decrypts with its own key.
    assert.equal(chooseKanal({ input: input(org, niva4), mottakersystem: ARKIV }).kanal, 'svarinn');
  });

  void it('given an organisation and no configured address, then the digital inbox and the reason says so', () => {
    const valg = chooseKanal({ input: input(org) });
    assert.equal(valg.kanal, 'digital');
    assert.equal(valg.varsling, undefined);
    assert.match(valg.reason, /ingen varslingsadresse er satt opp/);
  });

  void it('given a digital-only letter to an organisation and no configured address, then it cannot be delivered (was SENDT_DIGITALT, found in a review)', () => {
    for (const gaveUp of [{}, { mottakFeilet: true } as const]) {
      const valg = chooseKanal({ input: input(org, { kunDigitalLevering: true }), ...gaveUp });
      assert.equal(valg.kanal, 'ingen');
      assert.equal(valg.varsling, undefined);
      assert.match(
        valg.reason,
        /, og ingen varslingsadresse for virksomheter er satt opp, så mottakeren kan ikke få vite om den; forsendelsen skal kun leveres digitalt og kan ikke leveres$/,
      );
    }
    const notified = chooseKanal({
      input: input(org, { kunDigitalLevering: true }),
      organisasjonEpost: 'post@kommune.no',
    });
    assert.equal(notified.kanal, 'digital', 'with an address it is delivered digitally');
  });

  void it('given an organisation, then a KRR answer is irrelevant', () => {
    const valg = chooseKanal({
      input: input(org),
      krr: krr({ reservasjon: 'JA' }),
      organisasjonEpost: 'post@kommune.no',
    });
    assert.equal(valg.kanal, 'digital');
  });

  void it('given neither fnr nor orgnr, then print at once', () => {
    const valg = chooseKanal({ input: input(undefined), krr: krr() });
    assert.deepEqual(valg, {
      kanal: 'print',
      reason: 'Mottaker har verken fødselsnummer eller organisasjonsnummer; sendes til print',
    });
  });

  void it('given no mottaker at all, then print at once', () => {
    const { mottaker: _, ...rest } = input(undefined);
    assert.equal(chooseKanal({ input: rest }).kanal, 'print');
  });
});
