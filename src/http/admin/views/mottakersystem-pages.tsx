/**
 * The receiving systems (SvarInn) in the admin web: the list with the form to register one,
 * a system's page with its certificate (subject, issuer, validity, fingerprint) and the
 * forms to replace it or the service password, and the one-time password page.
 */
import type { CertificateFacts } from '../../../app/receiver-certificate.js';
import type { FieldProblem } from '../../../domain/errors.js';
import type { Mottakersystem } from '../../../storage/ports.js';
import { BASE } from '../admin-context.js';
import { CSRF_FIELD } from '../csrf.js';
import { ErrorSummary, Facts, Select, TextArea, TextField } from './components.js';
import { tid } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';

/** Path of the list, and of one system. */
export const MOTTAKERSYSTEMER = `${BASE}/mottakersystemer`;
export const systemPath = (id: string): string => `${MOTTAKERSYSTEMER}/${encodeURIComponent(id)}`;

/** A system with its certificate's facts (undefined when the stored PEM cannot be read). */
export interface ListedSystem {
  readonly system: Mottakersystem;
  readonly cert?: CertificateFacts;
}

/** What the registration form had, shown again with its problems. */
export interface SystemFormValues {
  readonly navn: string;
  readonly orgnr: string;
  readonly forsendelseType: string;
  readonly niva: string;
  readonly epost: string;
  readonly sertifikat: string;
}

/** What the details form of a registered system had. */
export type DetailsFormValues = Pick<SystemFormValues, 'navn' | 'forsendelseType' | 'niva' | 'epost'>;

const NIVA_VALG = [
  { value: '', label: 'Nivå 3 og 4' },
  { value: '3', label: 'Bare nivå 3' },
  { value: '4', label: 'Bare nivå 4' },
];

/** "Alle typer" or the type; "3 og 4" or the level. */
const typeTekst = (s: Mottakersystem): string => s.forsendelseType ?? 'Alle typer';
const nivaTekst = (s: Mottakersystem): string => (s.niva === undefined ? '3 og 4' : String(s.niva));

/** The certificate field: a PEM file or pasted text. */
function CertificateFields(props: { errors: Map<string, string>; value?: string }) {
  return (
    <>
      <div class="felt">
        <label for="sertifikatfil">Sertifikatfil (PEM eller DER, RSA)</label>
        <input id="sertifikatfil" name="sertifikatfil" type="file" accept=".pem,.crt,.cer" />
      </div>
      <TextArea
        id="sertifikat"
        label="… eller lim inn sertifikatet («-----BEGIN CERTIFICATE-----»)"
        value={props.value}
        errors={props.errors}
        rows={6}
      />
    </>
  );
}

/** The list and the registration form. */
export function MottakersystemListPage(props: {
  ctx: PageCtx;
  systems: readonly ListedSystem[];
  problems?: readonly FieldProblem[];
  values?: SystemFormValues;
}) {
  const errors = new Map((props.problems ?? []).map((p) => [p.field, p.message]));
  const v = props.values;
  return (
    <Layout title="Mottakersystemer" ctx={props.ctx} active="mottakersystemer">
      <p>
        Organisasjoner med eget mottakersystem henter forsendelsene sine gjennom SvarInn (
        <code>/tjenester/svarinn</code>), kryptert til systemets sertifikat, i stedet for digital innboks og print.
      </p>
      {props.systems.length === 0 ? (
        <p>Ingen mottakersystemer er registrert.</p>
      ) : (
        <div class="tabell">
          <table>
            <thead>
              <tr>
                <th scope="col">Navn</th>
                <th scope="col">Organisasjonsnummer</th>
                <th scope="col">Forsendelsestype</th>
                <th scope="col">Nivå</th>
                <th scope="col">Sertifikat gyldig til</th>
              </tr>
            </thead>
            <tbody>
              {props.systems.map(({ system, cert }) => (
                <tr>
                  <td>
                    <a href={systemPath(system.id)}>{system.navn}</a>
                  </td>
                  <td>{system.orgnr}</td>
                  <td>{typeTekst(system)}</td>
                  <td>{nivaTekst(system)}</td>
                  <td>{cert === undefined ? 'Kan ikke leses' : tid(cert.validTo)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="h-ny">
        <h2 id="h-ny">Nytt mottakersystem</h2>
        <form
          method="post"
          action={`${MOTTAKERSYSTEMER}?${CSRF_FIELD}=${encodeURIComponent(props.ctx.csrf)}`}
          enctype="multipart/form-data"
          class="kort"
        >
          <ErrorSummary problems={props.problems ?? []} fieldIdOf={(f) => f} />
          <TextField id="navn" label="Navn" value={v?.navn} errors={errors} required hint="F.eks. «Sak/arkiv»" />
          <TextField
            id="orgnr"
            label="Organisasjonsnummer"
            value={v?.orgnr}
            errors={errors}
            required
            inputmode="numeric"
            size="kort"
          />
          <TextField
            id="forsendelseType"
            label="Forsendelsestype"
            value={v?.forsendelseType}
            errors={errors}
            hint="Tomt: alle typer"
          />
          <Select id="niva" label="Sikkerhetsnivå" options={NIVA_VALG} value={v?.niva ?? ''} errors={errors} />
          <TextField
            id="epost"
            label="E-post til kontaktperson"
            type="email"
            value={v?.epost}
            errors={errors}
            hint="Varsles når forsendelser ikke hentes innen to timer"
          />
          <CertificateFields errors={errors} value={v?.sertifikat} />
          <button type="submit">Registrer mottakersystem</button>
        </form>
      </section>
    </Layout>
  );
}

/** One system: its facts, its certificate, and the forms to replace the certificate or the password. */
export function MottakersystemPage(props: {
  ctx: PageCtx;
  listed: ListedSystem;
  problems?: readonly FieldProblem[];
  /** The details form as sent, with its problems (the other problems are the certificate's). */
  opplysninger?: { readonly values: DetailsFormValues; readonly problems: readonly FieldProblem[] };
  melding?: string;
}) {
  const { system, cert } = props.listed;
  const errors = new Map((props.problems ?? []).map((p) => [p.field, p.message]));
  const detailErrors = new Map((props.opplysninger?.problems ?? []).map((p) => [p.field, p.message]));
  const d: DetailsFormValues = props.opplysninger?.values ?? {
    navn: system.navn,
    forsendelseType: system.forsendelseType ?? '',
    niva: system.niva === undefined ? '' : String(system.niva),
    epost: system.epost ?? '',
  };
  return (
    <Layout title={`Mottakersystem ${system.navn}`} ctx={props.ctx} active="mottakersystemer" melding={props.melding}>
      <Facts
        rows={[
          ['Id (brukernavn i SvarInn)', <code>{system.id}</code>],
          ['Organisasjonsnummer', system.orgnr],
          ['Forsendelsestype', typeTekst(system)],
          ['Sikkerhetsnivå', nivaTekst(system)],
          ['Kontakt', system.epost ?? '–'],
          ['Registrert', tid(system.createdAt)],
        ]}
      />
      <section aria-labelledby="h-opplysninger">
        <h2 id="h-opplysninger">Navn, filtre og kontakt</h2>
        <form method="post" action={`${systemPath(system.id)}/opplysninger`} class="kort">
          <CsrfField csrf={props.ctx.csrf} />
          <ErrorSummary problems={props.opplysninger?.problems ?? []} fieldIdOf={(f) => f} />
          <TextField id="navn" label="Navn" value={d.navn} errors={detailErrors} required />
          <TextField
            id="forsendelseType"
            label="Forsendelsestype"
            value={d.forsendelseType}
            errors={detailErrors}
            hint="Tomt: alle typer. Gjelder forsendelser som rutes fra nå av."
          />
          <Select id="niva" label="Sikkerhetsnivå" options={NIVA_VALG} value={d.niva} errors={detailErrors} />
          <TextField
            id="epost"
            label="E-post til kontaktperson"
            type="email"
            value={d.epost}
            errors={detailErrors}
            hint="Varsles når forsendelser ikke hentes innen to timer"
          />
          <button type="submit">Lagre</button>
        </form>
      </section>
      <section aria-labelledby="h-sert">
        <h2 id="h-sert">Sertifikat</h2>
        {cert === undefined ? (
          <p>Det lagrede sertifikatet kan ikke leses. Last opp et nytt.</p>
        ) : (
          <Facts
            rows={[
              ['Subjekt', cert.subject],
              ['Utsteder', cert.issuer],
              ['Serienummer', <code>{cert.serialNumber}</code>],
              ['Gyldig fra', tid(cert.validFrom)],
              ['Gyldig til', tid(cert.validTo)],
              ['Fingeravtrykk (SHA-256)', <code>{cert.fingerprint256}</code>],
              ['Nøkkel', cert.keyBits === undefined ? 'RSA' : `RSA ${cert.keyBits} bit`],
            ]}
          />
        )}
        <form
          method="post"
          action={`${systemPath(system.id)}/sertifikat?${CSRF_FIELD}=${encodeURIComponent(props.ctx.csrf)}`}
          enctype="multipart/form-data"
          class="kort"
        >
          <ErrorSummary problems={props.problems ?? []} fieldIdOf={(f) => f} />
          <CertificateFields errors={errors} />
          <button type="submit">Erstatt sertifikatet</button>
        </form>
      </section>
      <section aria-labelledby="h-passord">
        <h2 id="h-passord">Tjenestepassord</h2>
        <form method="post" action={`${systemPath(system.id)}/nytt-passord`}>
          <CsrfField csrf={props.ctx.csrf} />
          <p>Et nytt passord erstatter det gamle straks.</p>
          <button type="submit">Lag nytt tjenestepassord</button>
        </form>
      </section>
      <p>
        <a href={MOTTAKERSYSTEMER}>Alle mottakersystemer</a>
      </p>
    </Layout>
  );
}

/** The service password, shown once. */
export function SystemPasswordPage(props: { ctx: PageCtx; system: Mottakersystem; passord: string; ny: boolean }) {
  return (
    <Layout
      title={props.ny ? 'Mottakersystem registrert' : 'Nytt tjenestepassord'}
      ctx={props.ctx}
      active="mottakersystemer"
    >
      <p>
        {props.ny ? 'Mottakersystemet ' : 'Tjenestepassordet for '}
        <strong>{props.system.navn}</strong>
        {props.ny ? ' er registrert. Tjenestepassordet er:' : ' er byttet. Det gamle virker ikke lenger. Det nye er:'}
      </p>
      <p class="engang" id="tjenestepassord">
        {props.passord}
      </p>
      <p>
        <strong>Kopier passordet nå.</strong> Det vises bare denne ene gangen. Brukernavnet i SvarInn er{' '}
        <code id="systemid">{props.system.id}</code>.
      </p>
      <p>
        <a href={systemPath(props.system.id)}>Til mottakersystemet</a>
      </p>
    </Layout>
  );
}
