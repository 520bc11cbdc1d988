/**
 * Given / when / then for the forsendelse decider (docs/architecture.md, conventions, after EventSourcing.NodeJS):
 * events as they are journaled, commands as jobs and doors send them, and the state the
 * events fold to. Times are fixed instants; the domain reads no clock.
 */
import type { ForsendelseCommand } from '../../../src/domain/commands.js';
import { decide } from '../../../src/domain/decide.js';
import type { FilRef, ForsendelseEvent } from '../../../src/domain/events.js';
import { evolve, type ForsendelseState } from '../../../src/domain/forsendelse-state.js';
import type { DokumentSpec, ForsendelseInput, PrintKvittering, StoredDokument } from '../../../src/domain/model.js';

/** Monday 11 January 2027 10:00 Oslo (09:00 UTC). */
export const T0 = Date.UTC(2027, 0, 11, 9, 0, 0);
export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const ID = '6f1c2a9e-4b7d-4c1a-9e2f-0a1b2c3d4e5f';
export const AVSENDER = 'Testkommune';
export const FNR = '01019000083';
/** When `ev.varslet()` notifies, and the print deadline it sets. */
export const VARSLET_AT = T0 + 4 * MINUTE;
export const FRIST = T0 + 2 * DAY;

/** A declared PDF document. */
export function dokumentSpec(filnavn = 'brev.pdf'): DokumentSpec {
  return {
    filnavn,
    mimetype: 'application/pdf',
    ekskluderesFraPrint: false,
    skalSigneres: false,
    inneholderPersonsensitivInformasjon: false,
    giroarkSider: [],
    ekstraMetadata: [],
  };
}

/** A stored document with fake but well-formed blob data. */
export function stored(filnavn = 'brev.pdf', n = 1): StoredDokument {
  return { ...dokumentSpec(filnavn), blob: { sha256: String(n).repeat(64).slice(0, 64), size: 1000 + n }, sider: 2 };
}

/** A valid printable letter to a person; override any field. */
export function input(overrides: Partial<ForsendelseInput> = {}): ForsendelseInput {
  return {
    tittel: 'Vedtak om byggesøknad',
    mottaker: {
      digitalAdresse: { type: 'person', fnr: FNR },
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
    },
    krevNiva4Innlogging: false,
    kryptert: false,
    kunDigitalLevering: false,
    taushetsbelagtPost: false,
    lenker: [],
    svarPaForsendelseLink: false,
    eksponertFor: [],
    dokumenter: [dokumentSpec()],
    ...overrides,
  };
}

/** The command a door sends for a new letter `id` (its documents stored): Motta, at `at`. */
export function motta(
  id: string,
  at: number = Date.now(),
  dokumenter: StoredDokument[] = [stored()],
): ForsendelseCommand {
  return { type: 'Motta', at, id, avsender: AVSENDER, input: input(), dokumenter };
}

export const FIL: FilRef = { sha256: 'f'.repeat(64), size: 5000, sider: 3 };

/** A print provider's receipt. */
export function kvittering(overrides: Partial<PrintKvittering> = {}): PrintKvittering {
  return {
    sider: 3,
    fargesider: 0,
    konvolutter: 1,
    ark: 2,
    vekt: 20,
    porto: 2400,
    produksjonskostnad: 350,
    printetAt: T0 + 5 * DAY,
    ...overrides,
  };
}

/** Journaled events, by name; `at` defaults to a step after T0. */
export const ev = {
  mottatt: (o: { input?: ForsendelseInput; dokumenter?: StoredDokument[]; at?: number } = {}): ForsendelseEvent => ({
    type: 'Mottatt',
    at: o.at ?? T0,
    id: ID,
    avsender: AVSENDER,
    input: o.input ?? input(),
    dokumenter: o.dokumenter ?? [stored()],
  }),
  akseptert: (at = T0 + MINUTE): ForsendelseEvent => ({ type: 'Akseptert', at, forsendelsesfil: FIL }),
  avvist: (at = T0 + MINUTE): ForsendelseEvent => ({ type: 'Avvist', at, grunn: 'Forsendelsesfil kunne ikke dannes' }),
  kanalValgt: (kanal: 'digital' | 'print' | 'svarinn' | 'ingen', at = T0 + 2 * MINUTE): ForsendelseEvent => ({
    type: 'KanalValgt',
    at,
    kanal,
    grunn: `Kanal valgt: ${kanal}`,
    varsling: kanal === 'digital' ? { epost: 'kari@example.no' } : undefined,
  }),
  varslingStartet: (at = T0 + 3 * MINUTE): ForsendelseEvent => ({ type: 'VarslingStartet', at }),
  varslet: (o: { at?: number; fristAt?: number; kanaler?: ('epost' | 'sms')[] } = {}): ForsendelseEvent => ({
    type: 'Varslet',
    at: o.at ?? VARSLET_AT,
    kanaler: o.kanaler ?? ['epost'],
    fristAt: 'fristAt' in o ? o.fristAt : FRIST,
  }),
  paminnet: (at = T0 + DAY): ForsendelseEvent => ({ type: 'Paminnet', at }),
  lest: (at = T0 + DAY): ForsendelseEvent => ({ type: 'Lest', at }),
  lestEksternt: (at = T0 + DAY): ForsendelseEvent => ({
    type: 'LestEksternt',
    at,
    datoLest: at,
    fnr: FNR,
    systemnavn: 'Fagsystem',
  }),
  lesefristUtlopt: (at = T0 + 2 * DAY): ForsendelseEvent => ({ type: 'LesefristUtlopt', at }),
  sendtPrint: (at = T0 + 2 * DAY + MINUTE, leverandor: 'filedrop' | 'manual' = 'filedrop'): ForsendelseEvent => ({
    type: 'SendtPrint',
    at,
    leverandor,
    printfil: FIL,
  }),
  printet: (at = T0 + 5 * DAY): ForsendelseEvent => ({
    type: 'Printet',
    at,
    kvittering: kvittering({ printetAt: at }),
  }),
  manueltHandtert: (at = T0 + 3 * DAY): ForsendelseEvent => ({
    type: 'ManueltHandtert',
    at,
    av: 'ola',
    grunn: 'Levert for hånd',
  }),
  dokumenterSlettet: (at = T0 + 100 * DAY): ForsendelseEvent => ({
    type: 'DokumenterSlettet',
    at,
    grunn: 'oppbevaringstid',
  }),
};

/** Common histories: a letter up to a given point of its life. */
export const upTo = {
  mottatt: (): ForsendelseEvent[] => [ev.mottatt()],
  akseptert: (): ForsendelseEvent[] => [ev.mottatt(), ev.akseptert()],
  digital: (): ForsendelseEvent[] => [ev.mottatt(), ev.akseptert(), ev.kanalValgt('digital')],
  varslingStartet: (): ForsendelseEvent[] => [...upTo.digital(), ev.varslingStartet()],
  varslet: (): ForsendelseEvent[] => [...upTo.varslingStartet(), ev.varslet()],
  fristUtlopt: (): ForsendelseEvent[] => [...upTo.varslet(), ev.lesefristUtlopt()],
  sendtPrint: (): ForsendelseEvent[] => [...upTo.fristUtlopt(), ev.sendtPrint()],
  printet: (): ForsendelseEvent[] => [...upTo.sendtPrint(), ev.printet()],
};

/** The state `events` fold to (undefined for none). */
export function stateOf(events: readonly ForsendelseEvent[]): ForsendelseState | undefined {
  return events.reduce<ForsendelseState | undefined>((s, e) => evolve(s, e), undefined);
}

/** Like stateOf, for histories that are known to start with Mottatt. */
export function existing(events: readonly ForsendelseEvent[]): ForsendelseState {
  const s = stateOf(events);
  if (s === undefined) throw new Error('given: no events');
  return s;
}

/** Given `events`, when `command`: the events decided, and the state after them. */
export function given(events: readonly ForsendelseEvent[]): {
  when(command: ForsendelseCommand): { events: ForsendelseEvent[]; state: ForsendelseState | undefined };
} {
  return {
    when(command) {
      const before = stateOf(events);
      const decided = decide(before, command);
      return { events: decided, state: decided.reduce<ForsendelseState | undefined>((s, e) => evolve(s, e), before) };
    },
  };
}

/**
 * Runs `commands` in order as jobs would, each on the state the previous ones left, and
 * returns every event decided; commands a state refuses with an error are skipped.
 */
export function run(
  events: readonly ForsendelseEvent[],
  commands: readonly ForsendelseCommand[],
): { events: ForsendelseEvent[]; state: ForsendelseState } {
  let state = existing(events);
  const decided: ForsendelseEvent[] = [];
  for (const command of commands) {
    let out: ForsendelseEvent[];
    try {
      out = decide(state, command);
    } catch {
      continue;
    }
    for (const e of out) state = evolve(state, e);
    decided.push(...out);
  }
  return { events: decided, state };
}
