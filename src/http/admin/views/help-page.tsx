/** "Hjelp": what the statuses, channels and roles mean, and where things are done. */
import { STATUS_TEKST } from './format.js';
import { Layout, type PageCtx } from './layout.js';
import { FORSENDELSE_STATUSES } from '../../../domain/model.js';

/** What each status means (forsendelseStatus.json of the real service, in our words). */
const STATUS_FORKLARING: Readonly<Record<(typeof FORSENDELSE_STATUSES)[number], string>> = {
  MOTTATT: 'Forsendelsen er tatt imot og har fått en id.',
  AKSEPTERT:
    'Metadata er validert og filen kanalen trenger er laget: forsendelsesfilen (forside og dokumenter), eller printfilen for et brev som går rett på papir.',
  AVVIST: 'Forsendelsen ble ikke godtatt: mangelfulle metadata eller en fil som ikke kunne leses.',
  VARSLET: 'Mottakeren er varslet på e-post eller SMS om at brevet venter.',
  LEST: 'Mottakeren har lastet ned hele forsendelsesfilen.',
  SENDT_PRINT: 'Brevet er overført til print (sentralt eller manuell print her).',
  PRINTET: 'Printkvittering er mottatt, eller manuell print er bekreftet.',
  MANUELT_HANDTERT: 'Forsendelsen er avsluttet for hånd, med begrunnelse i historikken.',
  SENDT_DIGITALT: 'Sendt digitalt og skal aldri på papir (kun digital levering).',
  SENDT_SDP: 'Sendt til digital postkasse.',
  LEVERT_SDP: 'Levert i digital postkasse.',
  KLAR_FOR_MOTTAK: 'Venter på at mottakerens eget system (SvarInn) henter forsendelsen.',
  IKKE_LEVERT:
    'Kun digital levering, men mottakeren kunne ikke nås digitalt; eller avsender slettet dokumentene før mottakerens eget system (SvarInn) hentet forsendelsen.',
};

/** The page. */
export function HelpPage(props: { ctx: PageCtx }) {
  return (
    <Layout title="Hjelp" ctx={props.ctx} active="hjelp">
      <h2>Slik går et brev gjennom Budbringer</h2>
      <ol>
        <li>Fagsystemet (eller «Send forsendelse» her) leverer brevet. Det valideres og lagres før det får en id.</li>
        <li>
          Kanal velges: personer som har reservert seg mot digital post, og mottakere uten fødselsnummer eller
          organisasjonsnummer, får brevet på papir. Andre får et varsel på e-post eller SMS med lenke til brevet.
        </li>
        <li>
          Budbringer lager filen kanalen trenger: forsendelsesfilen (en forside tilpasset vinduskonvolutt, og
          dokumentene) for innboksen, eller printfilen, med en forside som sier hvorfor brevet kom på papir.
        </li>
        <li>Et brev som ikke er lest etter to virkedager, sendes på papir.</li>
        <li>Dokumentene slettes tre måneder etter sending. Metadata og historikk beholdes.</li>
      </ol>
      <h2>Statuser</h2>
      <dl class="fakta">
        {FORSENDELSE_STATUSES.map((s) => (
          <>
            <dt>{`${STATUS_TEKST[s]} (${s})`}</dt>
            <dd>{STATUS_FORKLARING[s]}</dd>
          </>
        ))}
      </dl>
      <h2>Roller</h2>
      <dl class="fakta">
        <dt>Administrator</dt>
        <dd>Ser og gjør alt, også avsendere, brukere og revisjonslogg.</dd>
        <dt>Lokal administrator</dt>
        <dd>
          Forvalter avsenderne til egen virksomhet (samme organisasjonsnummer): forsendelser, manuell print,
          konfigurasjon og statistikk.
        </dd>
        <dt>Begrenset tilgang</dt>
        <dd>Kan bare sende forsendelser som én avsender.</dd>
      </dl>
      <h2>Tastatur</h2>
      <p>
        Alt kan brukes med tastatur: <kbd>Tab</kbd> flytter mellom lenker og felter, <kbd>Enter</kbd> sender skjemaer,
        og lenken «Hopp til hovedinnhold» øverst hopper over menyen.
      </p>
    </Layout>
  );
}
