/** The detail page of one forsendelse. */
import type { ForsendelseState } from '../../../domain/forsendelse-state.js';
import {
  hasNotificationAddress,
  mayBeHandledManually,
  needsPrint,
  whyNoResend,
} from '../../../domain/delivery-rules.js';
import type { PostAdresse } from '../../../domain/model.js';
import { mayOpenFile } from '../../../app/admin/file-access.js';
import type { JobRow } from '../../../app/admin/job-admin.js';
import { BASE } from '../admin-context.js';
import { Facts, TextArea } from './components.js';
import { antall, KANAL_TEKST, kroner, STATUS_TEKST, tid } from './format.js';
import { CsrfField, Layout, type PageCtx } from './layout.js';
import { StalledWork } from './stalled-work.js';

const jaNei = (b: boolean | undefined): string => (b ? 'Ja' : 'Nei');

function bytes(n: number): string {
  return n < 1024 * 1024 ? `${antall(Math.ceil(n / 1024))} kB` : `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

function adresse(a: PostAdresse | undefined): string {
  if (a === undefined) return '–';
  return [a.navn, a.adresse1, a.adresse2, a.adresse3, `${a.postnr ?? ''} ${a.poststed ?? ''}`.trim(), a.land]
    .filter((l) => l !== undefined && l.trim() !== '')
    .join(', ');
}

/** Why a letter has no forsendelsesfil: not built yet, or never (a receiving system takes the documents, or it went on paper at once). */
function utenForsendelsesfil(s: ForsendelseState): string {
  if (s.dokumenterSlettetAt !== undefined) return 'Ingen forsendelsesfil: dokumentene er slettet.';
  if (s.kanal === 'svarinn' || (s.mottakersystem !== undefined && s.mottakFeiletPermanentAt === undefined))
    return 'Ingen forsendelsesfil: mottakersystemet henter dokumentene slik de ble sendt (SvarInn).';
  if (s.kanal === 'print' && s.printfil !== undefined)
    return 'Ingen forsendelsesfil: brevet gikk rett på papir, så printfilen under er den eneste filen som ble laget.';
  return 'Forsendelsesfilen er ikke dannet ennå.';
}

/** The page. */
export function ForsendelseDetailPage(props: {
  ctx: PageCtx;
  state: ForsendelseState;
  melding?: string;
  feil?: string;
  kanVarsleIgjen: boolean;
  /** The letter's work whose last try failed (JobAdmin.stalledWork). */
  stalled?: readonly JobRow[];
}) {
  const s = props.state;
  const noResend = whyNoResend(s);
  const input = s.input;
  const digital = input.mottaker?.digitalAdresse;
  const base = `${BASE}/forsendelser/${s.id}`;
  const print = input.printkonfigurasjon;
  const k = s.kvittering;
  return (
    <Layout title={input.tittel} ctx={props.ctx} active="forsendelser" melding={props.melding} feil={props.feil}>
      <p>
        <a href={`${BASE}/forsendelser`}>← Tilbake til forsendelser</a>
      </p>
      <div class="kolonner">
        <section aria-labelledby="h-oversikt">
          <h2 id="h-oversikt">Oversikt</h2>
          <Facts
            rows={[
              [
                'Status',
                <span class="status" data-status={s.status}>{`${STATUS_TEKST[s.status]} (${s.status})`}</span>,
              ],
              ['Forsendelses-id', <span class="mono">{s.id}</span>],
              ['Avsender', s.avsender],
              ['Mottatt', tid(s.mottattAt)],
              ['Siste statusendring', tid(s.sisteStatusEndring)],
              ['Ekstern referanse', input.eksternref ?? '–'],
              ['Korrelasjons-id', input.korrelasjonsid ?? '–'],
              ['Avgivende system', input.avgivendeSystem ?? '–'],
              ['Aktør i avgivende system', input.avgivendeSystemAktor ?? '–'],
              ['Forsendelsestype', input.forsendelseType ?? '–'],
              ['Konteringskode', input.konteringskode ?? '–'],
              ['Kun digital levering', jaNei(input.kunDigitalLevering)],
              ['Taushetsbelagt post', jaNei(input.taushetsbelagtPost)],
              ['Krever innlogging på nivå 4', jaNei(input.krevNiva4Innlogging)],
              ['Kryptert', jaNei(input.kryptert)],
              [
                'Utskrift',
                print === undefined
                  ? 'Standard'
                  : `${print.tosidig ? 'Tosidig' : 'Ensidig'}, ${print.fargePrint ? 'farge' : 'svart-hvitt'}${print.brevtype ? `, ${print.brevtype === 'APOST' ? 'A-post' : 'B-post'}` : ''}`,
              ],
            ]}
          />
        </section>
        <section aria-labelledby="h-mottaker">
          <h2 id="h-mottaker">Mottaker</h2>
          <Facts
            rows={[
              ['Navn og adresse', adresse(input.mottaker?.postAdresse)],
              ['Fødselsnummer', digital?.type === 'person' ? <span class="mono">{digital.fnr}</span> : '–'],
              [
                'Organisasjonsnummer',
                digital?.type === 'organisasjon' ? <span class="mono">{digital.orgnr}</span> : '–',
              ],
              [
                'Varslingsadresse',
                s.varsling === undefined
                  ? '–'
                  : [s.varsling.epost, s.varsling.sms].filter((v) => v !== undefined).join(', ') || '–',
              ],
            ]}
          />
          <h2 id="h-kanal">Kanal</h2>
          <Facts
            rows={[
              ['Valgt kanal', s.kanal === undefined ? 'Ikke valgt ennå' : KANAL_TEKST[s.kanal]],
              ['Hvorfor', s.kanalGrunn ?? '–'],
              ['Varslet', s.varsletAt === undefined ? '–' : `${tid(s.varsletAt)}${varsletPa(s)}`],
              ['Lesefrist', tid(s.fristAt)],
              ['Lest', tid(s.lestAt)],
              [
                'Sendt til print',
                s.sendtPrintAt === undefined
                  ? '–'
                  : `${tid(s.sendtPrintAt)} (${s.printLeverandor === 'manual' ? 'manuell print' : 'printleverandør'})`,
              ],
              [
                'Printet',
                k === undefined
                  ? '–'
                  : `${tid(k.printetAt)}: ${k.sider} sider, ${k.ark} ark, ${k.konvolutter} konvolutt(er), porto ${kroner(k.porto)}, produksjon ${kroner(k.produksjonskostnad)}`,
              ],
            ]}
          />
          {s.avvistGrunn !== undefined && <p class="melding melding-feil">Avvist: {s.avvistGrunn}</p>}
          {s.manueltHandtert !== undefined && (
            <p class="kort">
              Manuelt håndtert {tid(s.manueltHandtert.at)} av {s.manueltHandtert.av}: {s.manueltHandtert.grunn}
            </p>
          )}
        </section>
      </div>

      <StalledWork rows={props.stalled ?? []} />

      <section aria-labelledby="h-historikk">
        <h2 id="h-historikk">Historikk</h2>
        <div class="tabell">
          <table id="historikk">
            <caption class="visuelt-skjult">Hendelser, eldste først</caption>
            <thead>
              <tr>
                <th scope="col">Tidspunkt</th>
                <th scope="col">Hendelse</th>
              </tr>
            </thead>
            <tbody>
              {s.historikk.map((h) => (
                <tr>
                  <td class="mono tid">{tid(h.at)}</td>
                  <td>{h.hendelse}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="h-dokumenter">
        <h2 id="h-dokumenter">Dokumenter</h2>
        {s.dokumenterSlettetAt !== undefined && (
          <p>Dokumentene ble slettet {tid(s.dokumenterSlettetAt)}. Metadata og historikk er beholdt.</p>
        )}
        <div class="tabell">
          <table>
            <thead>
              <tr>
                <th scope="col">Fil</th>
                <th scope="col">Type</th>
                <th scope="col" class="tall">
                  Størrelse
                </th>
                <th scope="col" class="tall">
                  Sider
                </th>
              </tr>
            </thead>
            <tbody>
              {s.dokumenter.map((d, i) => (
                <tr>
                  <td>
                    {s.dokumenterSlettetAt === undefined && mayOpenFile(s, 'dokument') ? (
                      <a href={`${base}/dokumenter/${i}`}>{d.filnavn}</a>
                    ) : (
                      d.filnavn
                    )}
                    {d.ekskluderesFraPrint && <div class="hint">Utelates fra print</div>}
                  </td>
                  <td>{d.mimetype}</td>
                  <td class="tall">{bytes(d.blob.size)}</td>
                  <td class="tall">{d.sider ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ul>
          <li>
            {s.forsendelsesfil === undefined || s.dokumenterSlettetAt !== undefined ? (
              utenForsendelsesfil(s)
            ) : !mayOpenFile(s, 'forsendelsesfil') ? (
              <span id="kryptert-forsendelse">
                Forsendelsen er kryptert: dokumentene kan bare åpnes av mottakeren. Brevet og printfilen kan åpnes her
                når det er sendt til print.
              </span>
            ) : (
              <a href={`${base}/forsendelsesfil`} id="last-ned-forsendelsesfil">
                Last ned forsendelsesfilen (forside og dokumenter, {s.forsendelsesfil.sider} sider, PDF)
              </a>
            )}
          </li>
          {s.printfil !== undefined &&
          s.dokumenterSlettetAt === undefined &&
          s.printfil.sha256 !== s.forsendelsesfil?.sha256 &&
          mayOpenFile(s, 'printfil') ? (
            <li>
              <a href={`${base}/printfil`} id="last-ned-printfil">
                Last ned printfilen ({s.printfil.sider} sider, PDF)
              </a>
            </li>
          ) : (
            s.printfil === undefined &&
            needsPrint(s) && <li>Printfilen (med egen forside) dannes når brevet sendes til print.</li>
          )}
        </ul>
      </section>

      <section aria-labelledby="h-handlinger">
        <h2 id="h-handlinger">Handlinger</h2>
        <div class="kolonner">
          <div class="kort">
            <h3>Marker som manuelt håndtert</h3>
            {s.status === 'MANUELT_HANDTERT' ? (
              <p>Forsendelsen er allerede manuelt håndtert.</p>
            ) : !mayBeHandledManually(s) ? (
              <p>
                Forsendelsen er ferdig behandlet ({STATUS_TEKST[s.status]}) og kan ikke merkes som manuelt håndtert.
              </p>
            ) : (
              <form method="post" action={`${base}/manuelt-handtert`}>
                <CsrfField csrf={props.ctx.csrf} />
                <TextArea
                  id="grunn"
                  label="Begrunnelse"
                  hint="Skrives i historikken, f.eks. «Levert personlig på servicetorget»."
                  rows={3}
                  required
                />
                <button type="submit">Marker som manuelt håndtert</button>
              </form>
            )}
          </div>
          <div class="kort">
            <h3>Send varsel på nytt</h3>
            {!props.kanVarsleIgjen ? (
              <p>Varsling på nytt er ikke koblet til på denne installasjonen.</p>
            ) : noResend !== undefined ? (
              <p>{noResend}, så det er ikke noe varsel å sende på nytt.</p>
            ) : (
              <form method="post" action={`${base}/varsle-pa-nytt`}>
                <CsrfField csrf={props.ctx.csrf} />
                <p>Mottakeren får e-post/SMS om brevet på nytt, til samme adresse som sist.</p>
                <button type="submit" class="sekundar">
                  Send varsel på nytt
                </button>
              </form>
            )}
          </div>
        </div>
      </section>
    </Layout>
  );
}

/** How the letter was notified, after its time: the channels, or why on none. */
function varsletPa(s: ForsendelseState): string {
  const kanaler = s.varsletKanaler;
  if (kanaler === undefined) return '';
  if (kanaler.length > 0) return ` (${kanaler.map((v) => (v === 'epost' ? 'e-post' : 'SMS')).join(' og ')})`;
  // Nobody got it: there was no address, or the address refused it (the history says which).
  return hasNotificationAddress(s) ? ' (ikke levert; se historikken)' : ' (ingen varslingsadresse; venter i innboksen)';
}
