import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_EPOST_EMNE,
  DEFAULT_VARSLING,
  maskFodselsnummer,
  reminderPrefix,
  renderVarsel,
} from '../../../../src/channels/notify/index.js';

const LENKE = 'https://post.kommune.no/innboks/3f0c2a9e-1b7d-4c55-9a41-7f6e2d1c0b9a';
const avsender = { navn: 'Bø kommune', ...DEFAULT_VARSLING };

/** Texts that put the title in every field: what must never show for a sensitive letter. */
const TITLE_EVERYWHERE = {
  navn: 'Bø kommune',
  epostEmne: 'Brev: {tittel}',
  epostTekst: '{tittel} {lenke}',
  smsTekst: '{tittel}',
};

void describe('renderVarsel', () => {
  void it('given the default texts, then Norwegian subject, text and SMS with the link', () => {
    const v = renderVarsel({ avsender, tittel: 'Vedtak om byggesøknad', lenke: LENKE });
    assert.equal(DEFAULT_EPOST_EMNE, 'Du har fått brev fra {avsender}');
    assert.equal(v.subject, 'Du har fått brev fra Bø kommune');
    assert.equal(
      v.text,
      'Hei!\n\nDu har fått et brev fra Bø kommune.\n\nLes brevet her:\n' +
        LENKE +
        '\n\nDenne e-posten er sendt automatisk og kan ikke besvares.',
    );
    assert.equal(v.sms, `Du har fått brev fra Bø kommune. Les det her: ${LENKE}`);
    // The defaults leave the (possibly sensitive) title out of e-mail and SMS.
    assert.doesNotMatch(v.text + v.sms + v.subject, /byggesøknad/);
    assert.match(v.html, new RegExp(`<a href="${LENKE}">${LENKE}</a>`));
    assert.match(v.html, /Du har fått et brev fra Bø kommune\.<br>/);
  });

  void it('keeps the subject and the SMS short whatever the title: cut with an ellipsis, no fødselsnummer cut into view (found in review)', () => {
    const tittel = `Vedtak 010190 12345 ${'om byggesøknad '.repeat(70)}`;
    const v = renderVarsel({ avsender: TITLE_EVERYWHERE, tittel, lenke: LENKE });
    assert.equal([...v.subject].length, 200);
    assert.ok(v.subject.startsWith('Brev: Vedtak *********** om byggesøknad') && v.subject.endsWith('…'));
    assert.equal([...v.sms].length, 60);
    assert.ok(v.sms.startsWith('Vedtak *********** om') && v.sms.endsWith('…'));
    assert.ok(v.text.length > 1000, 'the e-mail body keeps the whole title');
    const short = renderVarsel({ avsender: TITLE_EVERYWHERE, tittel: 'Vedtak 😀', lenke: LENKE });
    assert.equal(short.sms, 'Vedtak 😀');
    assert.equal(short.subject, 'Brev: Vedtak 😀');
  });

  void it('given custom templates, then every placeholder occurrence is replaced and unknown ones are left', () => {
    const v = renderVarsel({
      avsender: {
        navn: 'Vestland fylkeskommune',
        epostEmne: '{tittel} – {avsender}',
        epostTekst: '{avsender}: «{tittel}». {lenke} ({lenke}) {ukjent}',
        smsTekst: '{tittel} fra {avsender}: {lenke}',
      },
      tittel: 'Skyss-kort',
      lenke: LENKE,
    });
    assert.equal(v.subject, 'Skyss-kort – Vestland fylkeskommune');
    assert.equal(v.text, `Vestland fylkeskommune: «Skyss-kort». ${LENKE} (${LENKE}) {ukjent}`);
    assert.equal(v.sms, `Skyss-kort fra Vestland fylkeskommune: ${LENKE}`);
  });

  void it('given a fødselsnummer in the title or template, then it is masked everywhere, the link untouched', () => {
    const lenke = 'https://post.kommune.no/innboks/00000000-0000-4000-8000-a01234567890';
    const v = renderVarsel({
      avsender: {
        navn: 'NAV 01010112345',
        epostEmne: '{tittel}',
        epostTekst: 'Gjelder 020202 12345: {tittel} {lenke}',
        smsTekst: '{tittel} {lenke}',
      },
      tittel: 'Vedtak for 01010112345 (010101-12345)',
      lenke,
    });
    for (const s of [v.subject, v.text, v.html, v.sms]) {
      assert.doesNotMatch(s.replaceAll(lenke, ''), /\d{6}[ .-]?\d{5}/);
      assert.match(s, /\*{11}/);
    }
    assert.equal(v.subject, 'Vedtak for *********** (***********)');
    assert.ok(v.text.includes(lenke) && v.sms.includes(lenke) && v.html.includes(lenke));
  });

  void it('given taushetsbelagt post, then the title never appears', () => {
    const v = renderVarsel({
      avsender: TITLE_EVERYWHERE,
      tittel: 'Barnevernsvedtak',
      lenke: LENKE,
      taushetsbelagt: true,
    });
    assert.equal(v.subject, 'Brev: taushetsbelagt brev');
    assert.doesNotMatch(v.subject + v.text + v.html + v.sms, /Barnevern/);
  });

  void it("keeps a level-4 letter's title out of e-mail and SMS, in the avsender's language", () => {
    for (const [sprak, neutral] of [
      ['nb', 'brev som krever sikker innlogging'],
      ['nn', 'brev som krev sikker innlogging'],
      ['en', 'letter that requires secure login'],
    ] as const) {
      const v = renderVarsel({
        avsender: TITLE_EVERYWHERE,
        tittel: 'Barnevernsvedtak',
        lenke: LENKE,
        niva4: true,
        sprak,
      });
      assert.equal(v.subject, `Brev: ${neutral}`);
      assert.doesNotMatch(v.subject + v.text + v.html + v.sms, /Barnevern/);
    }
  });

  void it("says the words it adds in the avsender's language: the links' heading, a confidential letter", () => {
    const v = renderVarsel({
      avsender: { navn: 'Borough', epostEmne: '{tittel}', epostTekst: '{lenke}', smsTekst: '' },
      tittel: 'X',
      lenke: LENKE,
      taushetsbelagt: true,
      lenker: [{ urlLenke: 'https://borough.example/', urlTekst: 'More' }],
      sprak: 'en',
    });
    assert.equal(v.subject, 'confidential letter');
    assert.match(v.text, /\n\nLinks from the sender:\nMore: https:\/\/borough\.example\/\n$/);
    assert.match(v.html, /<p>Links from the sender:<\/p>/);
    assert.equal(reminderPrefix('nn'), 'Påminning: ');
    assert.equal(reminderPrefix('en'), 'Reminder: ');
  });

  void it('escapes HTML and keeps the subject on one line', () => {
    const v = renderVarsel({
      avsender: {
        navn: 'A & B <AS>',
        epostEmne: '{avsender}\r\n{tittel}',
        epostTekst: '{avsender} {tittel}',
        smsTekst: '',
      },
      tittel: '<script>alert(1)</script>',
      lenke: 'https://x.no/?a=1&b="2"',
    });
    assert.equal(v.subject, 'A & B <AS> <script>alert(1)</script>');
    assert.match(v.html, /A &amp; B &lt;AS&gt; &lt;script&gt;/);
    assert.doesNotMatch(v.html, /<script>/);
  });

  void it('maskFodselsnummer leaves shorter and longer numbers alone', () => {
    assert.equal(
      maskFodselsnummer('orgnr 974760673, tlf +4799999999, konto 123456789012'),
      'orgnr 974760673, tlf +4799999999, konto 123456789012',
    );
    assert.equal(maskFodselsnummer('fnr 01010112345.'), 'fnr ***********.');
  });
});

void describe('renderVarsel: the sender’s links (lenker)', () => {
  void it('lists them after the text and as an HTML list, escaped; a link with a fødselsnummer in its address is left out', () => {
    const v = renderVarsel({
      avsender,
      tittel: 'Vedtak',
      lenke: LENKE,
      lenker: [
        { urlLenke: 'https://kommune.example/sak?id=42&x=<y>', urlTekst: 'Saken <din>', ledetekst: 'Se' },
        { urlLenke: 'ftp://arkiv.example/vedlegg', urlTekst: 'Vedlegg' },
        { urlLenke: 'https://kommune.example/person/01019000083', urlTekst: 'Din side' },
      ],
    });
    assert.ok(
      v.text.endsWith(
        '\n\nLenker fra avsender:\nSe Saken <din>: https://kommune.example/sak?id=42&x=<y>\nVedlegg: ftp://arkiv.example/vedlegg\n',
      ),
      v.text,
    );
    assert.match(
      v.html,
      /<ul><li><a href="https:\/\/kommune\.example\/sak\?id=42&amp;x=&lt;y&gt;">Se Saken &lt;din&gt;<\/a><\/li><li><a href="ftp:\/\/arkiv\.example\/vedlegg">Vedlegg<\/a><\/li><\/ul>/,
    );
    assert.doesNotMatch(v.text + v.html, /01019000083|Din side/);
    assert.equal(v.sms, `Du har fått brev fra Bø kommune. Les det her: ${LENKE}`, 'the SMS stays short');
  });

  void it('masks a fødselsnummer beside letters in the title, and leaves out a link with one (found in review)', () => {
    const v = renderVarsel({
      avsender: TITLE_EVERYWHERE,
      tittel: 'Vedtak fnr01019000083 og 01019000083Kari',
      lenke: LENKE,
      lenker: [{ urlLenke: 'https://kommune.example/person?id=fnr01019000083', urlTekst: 'Din side' }],
    });
    assert.doesNotMatch(v.subject + v.text + v.html + v.sms, /01019000083|Din side/);
    assert.match(v.subject, /fnr\*{11} og \*{11}Kari/);
  });
});
