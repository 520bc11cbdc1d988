/** The audit log page. */
import type { StoredAuditEntry } from '../audit-log.js';
import { BASE } from '../admin-context.js';
import { Pager, TextField } from './components.js';
import { tid } from './format.js';
import { Layout, type PageCtx } from './layout.js';

/** Norwegian names of the action codes. */
export const HANDLING_TEKST: Readonly<Record<string, string>> = {
  innlogging: 'Logget inn',
  'innlogging.feilet': 'Mislykket innlogging',
  'innlogging.sperret': 'Innlogging sperret (for mange forsøk)',
  utlogging: 'Logget ut',
  'forsendelse.sendt-manuelt': 'Sendte forsendelse manuelt',
  'forsendelse.manuelt-handtert': 'Markerte som manuelt håndtert',
  'forsendelse.varslet-pa-nytt': 'Sendte varsel på nytt',
  'forsendelse.dokument-lastet-ned': 'Lastet ned dokument',
  'forsendelse.forsendelsesfil-lastet-ned': 'Lastet ned forsendelsesfil',
  'forsendelse.printfil-lastet-ned': 'Lastet ned printfil',
  'print.bunke-lastet-ned': 'Lastet ned bunke for manuell print',
  'print.bekreftet-printet': 'Bekreftet manuell print',
  'avsender.opprettet': 'Opprettet avsender',
  'avsender.forside-endret': 'Endret forside',
  'avsender.varsling-endret': 'Endret varslingstekster',
  'avsender.print-endret': 'Endret printleverandør',
  'avsender.mottakerside-endret': 'Endret mottakersiden',
  'avsender.tjenestepassord-byttet': 'Byttet tjenestepassord',
  'bruker.opprettet': 'Opprettet bruker',
  'bruker.endret': 'Endret bruker',
  'bruker.deaktivert': 'Deaktiverte bruker',
  'statistikk.eksportert': 'Eksporterte statistikk',
  'jobb.prov-igjen': 'Prøvde feilet jobb igjen',
  'jobb.prov-alle-igjen': 'Prøvde alle feilede jobber igjen',
  'jobb.forkastet': 'Forkastet feilet jobb',
  'jobbkø.endring': 'Endret jobbkøen (køtavla)',
  'integrasjon.opprettet': 'Opprettet integrasjon',
  'integrasjon.nytt-passord': 'Laget nytt integrasjonspassord',
  'integrasjon.tilgang-gitt': 'Ga integrasjon tilgang til avsender',
  'integrasjon.tilgang-fjernet': 'Fjernet integrasjons tilgang til avsender',
  'integrasjon.organisasjon-lagt-til': 'Autoriserte organisasjon for integrasjon',
  'integrasjon.organisasjon-fjernet': 'Fjernet organisasjon fra integrasjon',
  'mottakersystem.opprettet': 'Opprettet mottakersystem',
  'mottakersystem.endret': 'Endret mottakersystem',
  'mottakersystem.nytt-passord': 'Laget nytt passord for mottakersystem',
  'mottakersystem.sertifikat-erstattet': 'Erstattet sertifikatet til mottakersystem',
  'webhook.opprettet': 'Opprettet webhook',
  'webhook.slettet': 'Slettet webhook',
  'webhook.sendt-igjen': 'Sendte webhook-hendelse på nytt',
  'nokkel.rotert': 'Laget ny krypteringsnøkkel',
};

/** The page. */
export function AuditPage(props: {
  ctx: PageCtx;
  bruker: string;
  objekt: string;
  page: { items: StoredAuditEntry[]; total: number };
  offset: number;
  limit: number;
}) {
  const href = (offset: number): string => {
    const p = new URLSearchParams();
    if (props.bruker !== '') p.set('bruker', props.bruker);
    if (props.objekt !== '') p.set('objekt', props.objekt);
    if (offset > 0) p.set('side', String(offset));
    return `${BASE}/revisjonslogg?${p.toString()}`;
  };
  return (
    <Layout title="Revisjonslogg" ctx={props.ctx} active="revisjonslogg">
      <p>Alle handlinger i forvaltningen: hvem, hva og når. Loggen kan ikke endres.</p>
      <form
        method="get"
        action={`${BASE}/revisjonslogg`}
        class="sokeskjema"
        role="search"
        aria-label="Filtrer revisjonsloggen"
      >
        <div class="rad">
          <TextField id="bruker" label="Bruker" value={props.bruker} />
          <TextField id="objekt" label="Gjelder (forsendelses-id, avsender eller bruker)" value={props.objekt} />
        </div>
        <button type="submit">Filtrer</button>
      </form>
      <p role="status">{props.page.total} hendelser.</p>
      <div class="tabell">
        <table>
          <caption class="visuelt-skjult">Revisjonslogg, nyeste først</caption>
          <thead>
            <tr>
              <th scope="col">Tidspunkt</th>
              <th scope="col">Bruker</th>
              <th scope="col">Handling</th>
              <th scope="col">Gjelder</th>
              <th scope="col">Detaljer</th>
              <th scope="col">Adresse</th>
            </tr>
          </thead>
          <tbody>
            {props.page.items.map((e) => (
              <tr>
                <td class="mono">{tid(e.at)}</td>
                <td>{e.bruker}</td>
                <td>{HANDLING_TEKST[e.handling] ?? e.handling}</td>
                <td>
                  {e.objekt !== undefined && /^[0-9a-f-]{36}$/.test(e.objekt) ? (
                    <a href={`${BASE}/forsendelser/${e.objekt}`}>{e.objekt}</a>
                  ) : (
                    (e.objekt ?? '–')
                  )}
                </td>
                <td>{e.detaljer ?? ''}</td>
                <td>{e.adresse ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager total={props.page.total} limit={props.limit} offset={props.offset} href={href} />
    </Layout>
  );
}
