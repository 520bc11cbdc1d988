/** Norwegian display formats for the admin web: times in Europe/Oslo, statuses, channels, kroner. */
import type { ForsendelseStatus, Kanal } from '../../../domain/model.js';
import { formatOsloTimestamp } from '../../../domain/time/index.js';

/** `dd.MM.yyyy HH:mm:ss` in Oslo time, or a dash. */
export function tid(ms: number | undefined): string {
  // A no-break space between date and time: a narrow column never splits the timestamp.
  return ms === undefined ? '–' : formatOsloTimestamp(ms).replace(' ', '\u00a0');
}

/** What each status means, in the words of the real service (forsendelseStatus.json). */
export const STATUS_TEKST: Readonly<Record<ForsendelseStatus, string>> = {
  MOTTATT: 'Mottatt',
  AKSEPTERT: 'Akseptert',
  AVVIST: 'Avvist',
  VARSLET: 'Varslet',
  LEST: 'Lest',
  SENDT_PRINT: 'Sendt til print',
  PRINTET: 'Printet',
  MANUELT_HANDTERT: 'Manuelt håndtert',
  SENDT_DIGITALT: 'Sendt digitalt',
  SENDT_SDP: 'Sendt til digital postkasse',
  LEVERT_SDP: 'Levert i digital postkasse',
  KLAR_FOR_MOTTAK: 'Klar for mottak',
  IKKE_LEVERT: 'Ikke levert',
};

/** Channel names. */
export const KANAL_TEKST: Readonly<Record<Kanal, string>> = {
  digital: 'Digital (varsling og innboks)',
  print: 'Print (papir)',
  svarinn: 'SvarInn (mottakers eget system)',
  ingen: 'Ingen (kun digital levering, ikke levert)',
};

const KRONER = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const HELTALL = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
const DESIMAL = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });

/** Øre as `1 234,50 kr`. */
export function kroner(ore: number): string {
  return `${KRONER.format(ore / 100)} kr`;
}

/** An integer with Norwegian grouping. */
export function antall(n: number): string {
  return HELTALL.format(n);
}

/** A number with at most one decimal. */
export function desimal(n: number): string {
  return DESIMAL.format(n);
}

/** A share as `42,5 %`, or a dash when there is nothing to divide. */
export function prosent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${DESIMAL.format((100 * part) / whole)} %`;
}

/** A duration in hours/days as people say it: "3,5 timer", "2,1 døgn". */
export function varighet(ms: number | undefined): string {
  if (ms === undefined) return '–';
  const hours = ms / 3600_000;
  if (hours < 1) return `${HELTALL.format(Math.round(ms / 60_000))} min`;
  if (hours < 48) return `${DESIMAL.format(hours)} timer`;
  return `${DESIMAL.format(hours / 24)} døgn`;
}

/** Masks the personal number part of a fødselsnummer for lists: `010190*****`. */
export function maskertId(id: string | undefined): string {
  if (id === undefined) return '–';
  return id.length === 11 ? `${id.slice(0, 6)}*****` : id;
}
