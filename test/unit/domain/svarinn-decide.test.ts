/**
 * The SvarInn steps of a letter (docs/interfaces.md §11) in the decider: routed to a
 * receiving system it is KLAR_FOR_MOTTAK; its first download is recorded once; kvitterMottak
 * makes it LEST (a repeat changes nothing); a temporary failure is logged and it stays; a
 * permanent one sends it on by the channel given; another system's command is not found.
 * Its files deleted before its system fetched it, it ends IKKE_LEVERT; after a download it is
 * still acknowledged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForsendelseCommand } from '../../../src/domain/commands.js';
import { MAX_TEMPORARY_FAILURES } from '../../../src/domain/decide.js';
import { awaitsSvarInn } from '../../../src/domain/delivery-rules.js';
import { NotFoundError } from '../../../src/domain/errors.js';
import { chooseMottakersystem } from '../../../src/domain/mottakersystem-match.js';
import { pendingWork } from '../../../src/domain/pending-work.js';
import { fileNames } from '../../../src/app/svarinn-service.js';
import { DAY, T0, existing, given, input, stateOf, upTo } from './given.js';

const SYSTEM = 'c0ffee00-0000-4000-8000-000000000001';
const at = T0 + DAY;
const ORG = { digitalAdresse: { type: 'organisasjon' as const, orgnr: '923456783' } };
const tilSvarInn: ForsendelseCommand = {
  type: 'VelgKanal',
  at: T0 + 5000,
  kanal: 'svarinn',
  grunn: 'Mottaker har eget mottakersystem (SvarInn: Arkiv); forsendelsen er klar for mottak',
  mottakersystem: SYSTEM,
};
const policy = { purgeAt: (t: number) => t + 90 * DAY };

/** The events of a letter waiting in SvarInn for SYSTEM. */
function klarEvents() {
  return [...upTo.akseptert(), ...given(upTo.akseptert()).when(tilSvarInn).events];
}
/** A letter waiting in SvarInn for SYSTEM. */
function klar() {
  return given(klarEvents());
}

describe('decide: SvarInn', () => {
  it('routes to the receiving system: KLAR_FOR_MOTTAK, its id kept, no notification, print or purge while it waits', () => {
    const { state } = given(upTo.akseptert()).when(tilSvarInn);
    assert.equal(state?.status, 'KLAR_FOR_MOTTAK');
    assert.equal(state?.mottakersystem, SYSTEM);
    assert.ok(state !== undefined && awaitsSvarInn(state));
    assert.deepEqual(pendingWork(state!, policy), [], 'kept until the receiving system takes it');
    assert.throws(
      () => given(upTo.akseptert()).when({ ...tilSvarInn, mottakersystem: undefined }),
      /krever et mottakersystem/,
    );
  });

  it('a letter whose files the sender deleted before its system fetched it ends IKKE_LEVERT: not listed, no acknowledgement taken', () => {
    const slettet = klar().when({ type: 'SlettDokumenter', at, grunn: 'avsender' });
    assert.deepEqual(
      slettet.events.map((e) => e.type),
      ['DokumenterSlettet', 'MottakAvbrutt'],
    );
    assert.equal(slettet.state?.status, 'IKKE_LEVERT', 'not left in KLAR_FOR_MOTTAK for good');
    assert.equal(slettet.state?.sisteStatusEndring, at);
    assert.deepEqual(
      slettet.state?.historikk.slice(-2).map((h) => h.hendelse),
      [
        'Dokumenter slettet på forespørsel fra avsender',
        'Ikke levert: dokumentene ble slettet før mottakersystemet (SvarInn) hentet forsendelsen',
      ],
    );
    assert.ok(slettet.state !== undefined && !awaitsSvarInn(slettet.state));
    assert.deepEqual(pendingWork(slettet.state, policy), [], 'nothing left to do');
    const after = given([...klarEvents(), ...slettet.events]);
    assert.throws(() => after.when({ type: 'KvitterMottak', at, mottakersystem: SYSTEM }), NotFoundError);
    assert.deepEqual(after.when({ type: 'SlettDokumenter', at, grunn: 'avsender' }).events, [], 'a repeat is nothing');
    assert.throws(
      () => after.when({ type: 'RegistrerHentetAvMottakersystem', at, mottakersystem: 'annen' }),
      NotFoundError,
    );
  });

  it('a download under way when the files were deleted is recorded when it ends, and its acknowledgement makes the letter LEST', () => {
    // The files went (IKKE_LEVERT) while the system's download, begun before, was still
    // streaming: the system has the letter (found in review: its kvitterMottak got 404).
    const slettet = klar().when({ type: 'SlettDokumenter', at, grunn: 'avsender' });
    const avbrutt = [...klarEvents(), ...slettet.events];
    const hentet = given(avbrutt).when({ type: 'RegistrerHentetAvMottakersystem', at: at + 1, mottakersystem: SYSTEM });
    assert.deepEqual(hentet.events, [{ type: 'HentetAvMottakersystem', at: at + 1, mottakersystem: SYSTEM }]);
    assert.equal(hentet.state?.status, 'IKKE_LEVERT', 'until the system acknowledges it');
    assert.ok(hentet.state !== undefined && !awaitsSvarInn(hentet.state), 'still not listed');
    const kvitter: ForsendelseCommand = { type: 'KvitterMottak', at: at + 2, mottakersystem: SYSTEM };
    const done = given([...avbrutt, ...hentet.events]).when(kvitter);
    assert.deepEqual(done.events, [{ type: 'MottakKvittert', at: at + 2, mottakersystem: SYSTEM }]);
    assert.equal(done.state?.status, 'LEST');
    const all = [...avbrutt, ...hentet.events, ...done.events];
    assert.deepEqual(given(all).when(kvitter).events, [], 'a repeat is nothing');
    assert.deepEqual(
      given(all).when({ type: 'RegistrerHentetAvMottakersystem', at: at + 3, mottakersystem: SYSTEM }).events,
      [],
      'a second download of it is not recorded',
    );
  });

  it('a letter its system downloaded is acknowledged after the sender deleted its files: LEST, once', () => {
    const hentet = [
      ...klarEvents(),
      ...klar().when({ type: 'RegistrerHentetAvMottakersystem', at, mottakersystem: SYSTEM }).events,
    ];
    const slettet = given(hentet).when({ type: 'SlettDokumenter', at: at + 1, grunn: 'avsender' });
    assert.deepEqual(
      slettet.events.map((e) => e.type),
      ['DokumenterSlettet'],
    );
    assert.equal(slettet.state?.status, 'KLAR_FOR_MOTTAK', 'the system has it: its acknowledgement is awaited');
    assert.ok(!awaitsSvarInn(slettet.state!), 'no longer listed: there is nothing to download');
    const kvitter: ForsendelseCommand = { type: 'KvitterMottak', at: at + 2, mottakersystem: SYSTEM };
    const done = given([...hentet, ...slettet.events]).when(kvitter);
    assert.deepEqual(done.events, [{ type: 'MottakKvittert', at: at + 2, mottakersystem: SYSTEM }]);
    assert.equal(done.state?.status, 'LEST');
    assert.deepEqual(given([...hentet, ...slettet.events, ...done.events]).when(kvitter).events, []);
    assert.throws(
      () => given([...hentet, ...slettet.events]).when({ ...kvitter, mottakersystem: 'annen' }),
      NotFoundError,
    );
  });

  it('a report that the system could not take in a letter it downloaded, whose files are gone, is recorded and ends it IKKE_LEVERT', () => {
    const hentet = [
      ...klarEvents(),
      ...klar().when({ type: 'RegistrerHentetAvMottakersystem', at, mottakersystem: SYSTEM }).events,
    ];
    const slettet = [...hentet, { type: 'DokumenterSlettet', at: at + 1, grunn: 'avsender' } as const];
    for (const permanent of [false, true]) {
      const feilet = given(slettet).when({
        type: 'MeldMottakFeilet',
        at: at + 2,
        mottakersystem: SYSTEM,
        feilmelding: 'Import feilet',
        permanent,
      });
      assert.deepEqual(
        feilet.events.map((e) => e.type),
        ['MottakFeilet', 'MottakAvbrutt'],
        `permanent: ${permanent}`,
      );
      // Journaled as temporary: a version before this one replays a permanent one as "choose a channel again".
      assert.equal(feilet.events[0]?.type === 'MottakFeilet' && feilet.events[0].permanent, false);
      assert.equal(feilet.state?.status, 'IKKE_LEVERT');
      assert.deepEqual(
        feilet.state?.historikk.slice(-2).map((h) => h.hendelse),
        [
          'Mottak feilet i mottakersystemet (SvarInn): Import feilet. Dokumentene er slettet, så forsendelsen kan ikke hentes på nytt',
          'Ikke levert: mottakersystemet (SvarInn) fikk ikke tatt imot forsendelsen, og dokumentene er slettet',
        ],
      );
      // Its acknowledgement, should the import succeed after all, still makes it LEST.
      const kvittert = given([...slettet, ...feilet.events]).when({
        type: 'KvitterMottak',
        at: at + 3,
        mottakersystem: SYSTEM,
      });
      assert.equal(kvittert.state?.status, 'LEST');
    }
    // A temporary failure after the download, then the files deleted: it cannot be fetched again.
    const midlertidig = given(hentet).when({
      type: 'MeldMottakFeilet',
      at: at + 1,
      mottakersystem: SYSTEM,
      feilmelding: 'Prøver igjen',
      permanent: false,
    });
    const etter = given([...hentet, ...midlertidig.events]).when({
      type: 'SlettDokumenter',
      at: at + 2,
      grunn: 'avsender',
    });
    assert.deepEqual(
      etter.events.map((e) => e.type),
      ['DokumenterSlettet', 'MottakAvbrutt'],
    );
    // Downloaded again after that failure: the download is recorded, and the deletion after it
    // leaves the letter waiting for the acknowledgement.
    const igjen = given([...hentet, ...midlertidig.events]).when({
      type: 'RegistrerHentetAvMottakersystem',
      at: at + 2,
      mottakersystem: SYSTEM,
    });
    assert.deepEqual(igjen.events, [{ type: 'HentetAvMottakersystem', at: at + 2, mottakersystem: SYSTEM }]);
    const slettetEtter = given([...hentet, ...midlertidig.events, ...igjen.events]).when({
      type: 'SlettDokumenter',
      at: at + 3,
      grunn: 'avsender',
    });
    assert.deepEqual(
      slettetEtter.events.map((e) => e.type),
      ['DokumenterSlettet'],
    );
    assert.equal(slettetEtter.state?.status, 'KLAR_FOR_MOTTAK');
    // Never downloaded and deleted: a report about it is not found, as before.
    const avbrutt = [...klarEvents(), ...klar().when({ type: 'SlettDokumenter', at, grunn: 'avsender' }).events];
    assert.throws(
      () =>
        given(avbrutt).when({
          type: 'MeldMottakFeilet',
          at,
          mottakersystem: SYSTEM,
          feilmelding: 'x',
          permanent: false,
        }),
      NotFoundError,
    );
  });

  it('a letter left in KLAR_FOR_MOTTAK by an older deletion gets a purge due now, whose deletion ends it', () => {
    // The journal of such a letter: its files deleted, no MottakAvbrutt after.
    const legacy = [...klarEvents(), { type: 'DokumenterSlettet', at, grunn: 'avsender' } as const];
    const stranded = existing(legacy);
    assert.equal(stranded.status, 'KLAR_FOR_MOTTAK');
    assert.deepEqual(pendingWork(stranded, policy), [{ kind: 'purge' }]);
    const purged = given(legacy).when({ type: 'SlettDokumenter', at: at + 1, grunn: 'oppbevaringstid' });
    assert.deepEqual(purged.events, [{ type: 'MottakAvbrutt', at: at + 1, mottakersystem: SYSTEM }]);
    assert.equal(purged.state?.status, 'IKKE_LEVERT');
    assert.deepEqual(pendingWork(purged.state!, policy), []);
  });

  it('records the first download only', () => {
    const hent: ForsendelseCommand = { type: 'RegistrerHentetAvMottakersystem', at, mottakersystem: SYSTEM };
    const first = klar().when(hent);
    assert.deepEqual(first.events, [{ type: 'HentetAvMottakersystem', at, mottakersystem: SYSTEM }]);
    assert.equal(first.state?.status, 'KLAR_FOR_MOTTAK', 'a download alone does not read the letter');
    assert.deepEqual(given([...klarEvents(), ...first.events]).when(hent).events, []);
  });

  it('kvitterMottak makes it LEST; a second one changes nothing', () => {
    const kvitter: ForsendelseCommand = { type: 'KvitterMottak', at, mottakersystem: SYSTEM };
    const done = klar().when(kvitter);
    assert.equal(done.state?.status, 'LEST');
    assert.equal(done.state?.lestAt, at);
    assert.equal(done.state?.historikk.at(-1)?.hendelse, 'Mottak kvittert av mottakersystemet (SvarInn)');
    const history = [...klarEvents(), ...done.events];
    assert.deepEqual(given(history).when({ ...kvitter, at: at + 1 }).events, []);
    assert.deepEqual(
      pendingWork(done.state!, policy),
      [{ kind: 'purge', runAt: at + 90 * DAY }],
      'retention counts from the acknowledgement',
    );
  });

  it('set read by its sender while it waits, it stays listed for its system: recorded, then LEST at the acknowledgement', () => {
    const settLest: ForsendelseCommand = {
      type: 'MarkerLestEksternt',
      at,
      datoLest: at - 60_000,
      fnr: '01019000083',
      systemnavn: 'Fagsystem',
    };
    const lest = klar().when(settLest);
    assert.deepEqual(
      lest.events.map((e) => e.type),
      ['LestEksternt'],
    );
    assert.equal(lest.state?.status, 'KLAR_FOR_MOTTAK', 'not taken from its receiving system');
    assert.equal(lest.state?.lestAt, at);
    assert.match(lest.state?.historikk.at(-1)?.hendelse ?? '', /^Lest eksternt /);
    assert.ok(awaitsSvarInn(lest.state!), 'still listed and downloadable');
    assert.deepEqual(pendingWork(lest.state!, policy), [], 'kept until the receiving system takes it');
    const history = [...klarEvents(), ...lest.events];
    assert.deepEqual(given(history).when({ ...settLest, at: at + 1 }).events, [], 'a repeat is nothing');
    const hentet = given(history).when({ type: 'RegistrerHentetAvMottakersystem', at: at + 2, mottakersystem: SYSTEM });
    assert.deepEqual(
      hentet.events.map((e) => e.type),
      ['HentetAvMottakersystem'],
    );
    const kvittert = given([...history, ...hentet.events]).when({
      type: 'KvitterMottak',
      at: at + 3,
      mottakersystem: SYSTEM,
    });
    assert.equal(kvittert.state?.status, 'LEST');
    assert.equal(kvittert.state?.lestAt, at, 'read when its sender said so');
    assert.equal(kvittert.state?.mottakKvittertAt, at + 3);
  });

  it('set read by its sender while it waits, a permanent failure ends it LEST with no new channel: no notice, no print', () => {
    const history = [
      ...klarEvents(),
      ...klar().when({ type: 'MarkerLestEksternt', at, datoLest: at, fnr: '01019000083', systemnavn: 'Fagsystem' })
        .events,
    ];
    const feilet = given(history).when({
      type: 'MeldMottakFeilet',
      at: at + 1,
      mottakersystem: SYSTEM,
      feilmelding: 'Ukjent sak',
      permanent: true,
      nyKanal: { kanal: 'print', grunn: 'Mottaker er en organisasjon uten eget mottakersystem; sendes til print' },
    });
    assert.deepEqual(
      feilet.events.map((e) => e.type),
      ['MottakFeilet'],
    );
    assert.equal(feilet.state?.status, 'LEST');
    assert.equal(feilet.state?.kanal, undefined);
    assert.ok(!awaitsSvarInn(feilet.state!));
    assert.deepEqual(
      pendingWork(feilet.state!, policy).map((w) => w.kind),
      ['purge'],
    );
  });

  it('another system’s command, or one for a letter not in SvarInn, is not found', () => {
    assert.throws(() => klar().when({ type: 'KvitterMottak', at, mottakersystem: 'annen' }), NotFoundError);
    assert.throws(
      () => given(upTo.digital()).when({ type: 'KvitterMottak', at, mottakersystem: SYSTEM }),
      NotFoundError,
    );
  });

  it('a temporary failure is logged and the letter waits on; a permanent one sends it on by the channel given', () => {
    const temporary = klar().when({
      type: 'MeldMottakFeilet',
      at,
      mottakersystem: SYSTEM,
      feilmelding: 'Arkivet er nede',
      permanent: false,
    });
    assert.equal(temporary.state?.status, 'KLAR_FOR_MOTTAK');
    assert.equal(
      temporary.state?.historikk.at(-1)?.hendelse,
      'Mottak feilet i mottakersystemet (SvarInn), forsøkes igjen: Arkivet er nede',
    );
    const permanent = klar().when({
      type: 'MeldMottakFeilet',
      at,
      mottakersystem: SYSTEM,
      feilmelding: 'Ukjent sak',
      permanent: true,
      nyKanal: {
        kanal: 'digital',
        grunn: 'Mottaker er en organisasjon uten eget mottakersystem; sendes til digital innboks',
      },
    });
    assert.deepEqual(
      permanent.events.map((e) => e.type),
      ['MottakFeilet', 'KanalValgt'],
    );
    assert.equal(permanent.state?.kanal, 'digital');
    assert.equal(permanent.state?.status, 'AKSEPTERT');
    assert.ok(permanent.state?.mottakFeiletPermanentAt === at);
    assert.ok(!awaitsSvarInn(permanent.state!));
    assert.deepEqual(
      pendingWork(permanent.state!, policy).map((w) => w.kind),
      ['notify', 'purge'],
    );
    assert.throws(
      () => klar().when({ type: 'MeldMottakFeilet', at, mottakersystem: SYSTEM, feilmelding: 'x', permanent: true }),
      /annen kanal/,
    );
  });
});

describe('decide: repeated SvarInn failures', () => {
  const feilet = (t: number, feilmelding: string, permanent = false): ForsendelseCommand => ({
    type: 'MeldMottakFeilet',
    at: t,
    mottakersystem: SYSTEM,
    feilmelding,
    permanent,
    ...(permanent ? { nyKanal: { kanal: 'print' as const, grunn: 'Sendes til print' } } : {}),
  });
  /** The events of `commands` given one after the other to a letter waiting in SvarInn. */
  function after(commands: readonly ForsendelseCommand[]) {
    let history = klarEvents();
    const decided: string[] = [];
    for (const command of commands) {
      const { events } = given(history).when(command);
      decided.push(...events.map((e) => e.type));
      history = [...history, ...events];
    }
    return { decided, state: stateOf(history) };
  }

  it('the same temporary failure on every poll is one line a day, not one a poll (a history grew without bound)', () => {
    const polls = Array.from({ length: 96 }, (_, i) => feilet(at + i * 15 * 60_000, 'Arkivet er nede'));
    const { decided, state } = after([...polls, feilet(at + DAY, 'Arkivet er nede')]);
    assert.deepEqual(decided, ['MottakFeilet', 'MottakFeilet'], 'the first, and the same text after a day');
    assert.equal(state?.status, 'KLAR_FOR_MOTTAK');
    assert.equal(
      after([feilet(at, 'Arkivet er nede'), feilet(at + 1, 'Disken er full')]).decided.length,
      2,
      'a new text is a new line',
    );
  });

  it('records at most MAX_TEMPORARY_FAILURES temporary failures for one letter, each later one answered and ignored', () => {
    const many = Array.from({ length: MAX_TEMPORARY_FAILURES + 10 }, (_, i) => feilet(at + i, `Feil nummer ${i}`));
    const { decided, state } = after(many);
    assert.equal(decided.length, MAX_TEMPORARY_FAILURES);
    assert.equal(state?.historikk.filter((h) => /Mottak feilet/.test(h.hendelse)).length, MAX_TEMPORARY_FAILURES);
  });

  it('a permanent failure reported again (a retry after a lost answer) changes nothing instead of not found', () => {
    const { decided, state } = after([feilet(at, 'Ukjent sak', true), feilet(at + 1, 'Ukjent sak', true)]);
    assert.deepEqual(decided, ['MottakFeilet', 'KanalValgt']);
    assert.equal(state?.kanal, 'print');
    assert.throws(
      () => given(upTo.digital()).when(feilet(at, 'x', true)),
      NotFoundError,
      'never in SvarInn: not found',
    );
  });
});

describe('chooseMottakersystem', () => {
  const sys = (id: string, extra: object = {}) => ({ id, orgnr: '923456783', createdAt: 1, ...extra });
  const letter = (extra: object = {}) => input({ mottaker: ORG, ...extra });

  it('takes the orgnr’s system whose type and level admit the letter, the most specific first', () => {
    const alle = sys('alle');
    const bygg = sys('bygg', { forsendelseType: 'Byggesøknad' });
    const niva4 = sys('niva4', { niva: 4 });
    const annenOrg = { ...sys('annen'), orgnr: '812345672' };
    const systems = [alle, bygg, niva4, annenOrg];
    assert.equal(chooseMottakersystem(systems, letter())?.id, 'alle');
    assert.equal(chooseMottakersystem(systems, letter({ forsendelseType: 'Byggesøknad' }))?.id, 'bygg');
    assert.equal(chooseMottakersystem(systems, letter({ krevNiva4Innlogging: true }))?.id, 'niva4');
    assert.equal(chooseMottakersystem([bygg, niva4], letter()), undefined, 'level 3, other type: none');
    assert.equal(chooseMottakersystem(systems, input()), undefined, 'a person never');
  });
});

describe('fileNames', () => {
  it('makes the names unique and folder-free, as zip entries', () => {
    assert.deepEqual(
      fileNames([
        { filnavn: 'brev.pdf' },
        { filnavn: 'Brev.pdf' },
        { filnavn: 'a/b.pdf' },
        { filnavn: '..' },
        { filnavn: 'x' },
        { filnavn: 'x' },
      ]),
      ['brev.pdf', 'Brev (2).pdf', 'a_b.pdf', 'dokument-4', 'x', 'x (2)'],
    );
  });

  it('never names an entry "." or "..", whatever blanks surround the dots (letters stored before intake refused them)', () => {
    assert.deepEqual(fileNames([{ filnavn: ' ..' }, { filnavn: '. .' }, { filnavn: ' .brev.pdf ' }]), [
      'dokument-1',
      'dokument-2',
      'brev.pdf',
    ]);
  });

  it('names no entry that Windows would store as another or cannot store: trailing dots, device names (found in review)', () => {
    assert.deepEqual(
      fileNames([
        { filnavn: 'vedtak.pdf' },
        { filnavn: 'vedtak.pdf.' },
        { filnavn: 'vedtak.pdf. .' },
        { filnavn: 'CON.pdf' },
        { filnavn: 'nul' },
        { filnavn: 'Lpt1.tar.gz' },
        { filnavn: 'com¹.pdf' },
        { filnavn: 'console.pdf' },
        { filnavn: 'auxiliary.pdf' },
      ]),
      [
        'vedtak.pdf',
        'vedtak (2).pdf',
        'vedtak (3).pdf',
        '_CON.pdf',
        '_nul',
        '_Lpt1.tar.gz',
        '_com¹.pdf',
        'console.pdf',
        'auxiliary.pdf',
      ],
    );
  });
});
