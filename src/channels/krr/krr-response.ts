/**
 * Reads Digdir's KRR lookup answer (`{"personer":[…]}`, docs.digdir.no "Oppslagstjenesten
 * REST" / "Attributter i KRR"). Fields we do not use (timestamps, sertifikat, spraak) are
 * dropped; JSON null counts as absent, as Digdir omits or nulls fields alike.
 */
import { z } from 'zod';
import type { KrrPerson } from '../../domain/channel-choice.js';
import { KrrUnavailableError } from './contact-register.js';

const text = z.string().nullish();

const personSchema = z.object({
  personidentifikator: z.string().min(1),
  reservasjon: z.enum(['JA', 'NEI']).nullish(),
  status: z.enum(['AKTIV', 'SLETTET', 'IKKE_REGISTRERT']).nullish(),
  varslingsstatus: z.enum(['KAN_VARSLES', 'KAN_IKKE_VARSLES']).nullish(),
  kontaktinformasjon: z.object({ epostadresse: text, mobiltelefonnummer: text }).nullish(),
  digital_post: z.object({ postkasseadresse: text, postkasseleverandoeradresse: text }).nullish(),
});

const responseSchema = z.object({ personer: z.array(personSchema) });

type ParsedPerson = z.infer<typeof personSchema>;

/** The persons of a KRR answer; throws KrrUnavailableError naming the field when malformed. */
export function parseKrrResponse(json: unknown, source: string): KrrPerson[] {
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${describeIssue(i)}`);
    throw new KrrUnavailableError(`${source} har feil format: ${problems.join('; ')}`);
  }
  return parsed.data.personer.map(toKrrPerson);
}

/** A zod issue in Norwegian (operators read these in the log and the admin web). */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `mangler eller har feil type (forventet ${issue.expected})`;
    case 'invalid_value':
      return `ugyldig verdi (tillatt: ${issue.values.map(String).join(', ')})`;
    case 'too_small':
      return 'kan ikke være tom';
    default:
      return issue.message;
  }
}

/** `personer[2].reservasjon` from zod's path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out === '' ? '(rot)' : out;
}

/** Drops nulls so absent and null read the same to the channel choice. */
function toKrrPerson(p: ParsedPerson): KrrPerson {
  const kontakt = p.kontaktinformasjon;
  const post = p.digital_post;
  return {
    personidentifikator: p.personidentifikator,
    ...(p.reservasjon == null ? {} : { reservasjon: p.reservasjon }),
    ...(p.status == null ? {} : { status: p.status }),
    ...(p.varslingsstatus == null ? {} : { varslingsstatus: p.varslingsstatus }),
    ...(kontakt == null
      ? {}
      : {
          kontaktinformasjon: {
            ...(kontakt.epostadresse == null ? {} : { epostadresse: kontakt.epostadresse }),
            ...(kontakt.mobiltelefonnummer == null ? {} : { mobiltelefonnummer: kontakt.mobiltelefonnummer }),
          },
        }),
    ...(post == null
      ? {}
      : {
          digital_post: {
            ...(post.postkasseadresse == null ? {} : { postkasseadresse: post.postkasseadresse }),
            ...(post.postkasseleverandoeradresse == null
              ? {}
              : { postkasseleverandoeradresse: post.postkasseleverandoeradresse }),
          },
        }),
  };
}
