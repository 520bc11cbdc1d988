/**
 * What the statistics count of one letter, reduced to a few numbers when its record is
 * projected (issue 13, "Event loop held"): the store then sums these compact columns with
 * one aggregate query instead of the admin web folding every full view per request.
 */
import type { ForsendelseState } from './forsendelse-state.js';

/** How a letter ended up being delivered. */
export type Levering = 'digitalt' | 'papir' | 'annet';

/** The receipt figures a statistic sums (øre, counts). */
export interface KvitteringFakta {
  readonly sider: number;
  readonly ark: number;
  readonly konvolutter: number;
  readonly portoOre: number;
  readonly produksjonOre: number;
  /** The receipt's code, else the letter's own; absent when neither has one. */
  readonly konteringskode?: string;
}

/** The statistics facts of one letter. */
export interface StatistikkFakta {
  readonly levering: Levering;
  /** The recipient was notified. */
  readonly varslet: boolean;
  /** Notified and then read (the read rate's numerator). */
  readonly lest: boolean;
  /** Notification to reading, when read after the notification. */
  readonly lesetidMs?: number;
  /** Sent to the admin web's manual print queue. */
  readonly manuellPrint: boolean;
  /** The print receipt, once there is one. */
  readonly kvittering?: KvitteringFakta;
}

/** How `s` was (or is being) delivered. */
export function leveringOf(s: ForsendelseState): Levering {
  if (s.sendtPrintAt !== undefined) return 'papir';
  // Not delivered, also where a channel was chosen (a letter whose files were deleted before
  // its system fetched it, MottakAvbrutt, or before it was read and printed, UtskriftAvbrutt).
  if (s.status === 'IKKE_LEVERT') return 'annet';
  if (s.kanal === 'digital' || s.kanal === 'svarinn') return 'digitalt';
  return 'annet';
}

/** The statistics facts of `s`; absent fields stay absent (stored records round-trip exactly). */
export function statistikkFakta(s: ForsendelseState): StatistikkFakta {
  const varslet = s.varsletAt !== undefined;
  const lest = varslet && s.lestAt !== undefined;
  const lesetid =
    s.varsletAt !== undefined && s.lestAt !== undefined && s.lestAt >= s.varsletAt ? s.lestAt - s.varsletAt : undefined;
  const k = s.kvittering;
  const kode = k?.konteringskode ?? s.input.konteringskode;
  return {
    levering: leveringOf(s),
    varslet,
    lest,
    ...(lesetid === undefined ? {} : { lesetidMs: lesetid }),
    manuellPrint: s.sendtPrintAt !== undefined && s.printLeverandor === 'manual',
    ...(k === undefined
      ? {}
      : {
          kvittering: {
            sider: k.sider,
            ark: k.ark,
            konvolutter: k.konvolutter,
            portoOre: k.porto,
            produksjonOre: k.produksjonskostnad,
            ...(kode === undefined ? {} : { konteringskode: kode }),
          },
        }),
  };
}
