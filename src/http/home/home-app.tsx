/**
 * The front page `/`: what Budbringer is, a link to the admin web, and the API
 * documentation for fagsystemer (SOAP V9 and REST v1 endpoints, authentication).
 * Addresses are shown with the origin the visitor used.
 */
import { Hono } from 'hono';
import { raw } from 'hono/html';

/** REST v1 operations (docs/interfaces.md §9), as the table shows them. */
const REST_V1: readonly (readonly [string, string, string])[] = [
  ['POST', '/sendForsendelse', 'Send en forsendelse (multipart: metadata «forsendelse» som JSON, og filene)'],
  ['POST', '/startNyForsendelse', 'Få en ny forsendelses-id til bruk med /{id}/sendForsendelse'],
  ['POST', '/{id}/sendForsendelse', 'Send med en id fra startNyForsendelse'],
  ['GET', '/{id}/status', 'Status for én forsendelse'],
  ['POST', '/statuser', 'Status for flere forsendelser (JSON-liste med id-er)'],
  ['GET', '/{id}/historikk', 'Historikken (ekspederingsloggen)'],
  ['GET', '/{id}/dokumentMetadata', 'Dokumentenes metadata og nedlastingslenker'],
  ['GET', '/eksternref/{ref}', 'Forsendelses-id-er med en ekstern referanse'],
  ['POST', '/{id}/settLest', 'Marker som lest i et eksternt system'],
  ['POST', '/slettFiler', 'Slett dokumentene til forsendelser'],
  ['GET', '/forsendelseTyper', 'Gyldige forsendelsestyper'],
  ['GET', '/mottakersystem/{orgnr}', 'Mottakersystemer (SvarInn) for en virksomhet'],
];

const CSS = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b1b1b;line-height:1.55}
main{max-width:60rem;margin:0 auto;padding:2rem 1.5rem}a{color:#0a4a85}:focus-visible{outline:3px solid #1b1b1b;box-shadow:0 0 0 6px #ffbf47}
header{background:#063461;color:#fff;padding:2rem 1.5rem}header div{max-width:60rem;margin:0 auto}h1{margin:0 0 .5rem;font-size:2rem}
.knapp{display:inline-block;background:#0a4a85;color:#fff;padding:.7rem 1.2rem;border-radius:4px;font-weight:600;text-decoration:none}
.knapp:hover{background:#063461;color:#fff}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #8a94a3;vertical-align:top}
th{background:#f3f5f8}code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}a{overflow-wrap:anywhere}.tabell{overflow-x:auto}`;

/** Builds the front page app, to be mounted at `/` (after every other mount). */
export function createHomeApp(): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const origin = new URL(c.req.url).origin;
    const rest = `${origin}/tjenester/api/forsendelse/v1`;
    const soap = `${origin}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
    const page = (
      <html lang="nb">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Budbringer – digital post fra kommunen</title>
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <header>
            <div>
              <h1>Budbringer</h1>
              <p>Digital post fra kommuner og fylkeskommuner – åpen kildekode, kompatibel med SvarUt.</p>
            </div>
          </header>
          <main>
            <h2>Hva er Budbringer?</h2>
            <p>
              Budbringer tar imot utgående brev fra fagsystemer og sak/arkiv-systemer og sørger for at de kommer fram:
              digitalt når mottakeren kan og vil ta imot digital post, på papir gjennom en printleverandør når ikke – og
              på papir likevel hvis et digitalt brev ikke er lest etter to virkedager. Hvert steg logges, og status kan
              alltid hentes.
            </p>
            <p>
              <a class="knapp" href="/forvaltning">
                Gå til forvaltningen
              </a>
            </p>
            <p>
              I forvaltningen følger ansatte hvert brev, sender og skriver ut brev for hånd, setter opp avsendere og ser
              statistikk.
            </p>

            <h2 id="api">API-dokumentasjon for fagsystemer</h2>
            <p>
              Fagsystemet logger inn med HTTP Basic: brukernavnet er avsenderens navn, passordet er tjenestepassordet
              fra forvaltningen. Samme grensesnitt som SvarUt, så eksisterende integrasjoner kan peke hit.
            </p>
            <p>
              <a href="/api-dokumentasjon">OpenAPI-beskrivelsene av REST-grensesnittene</a> (REST v1 med webhooks, og KS
              sine beskrivelser av REST v2/v3) kan leses i nettleseren eller lastes ned som JSON.
            </p>
            <h3>SOAP: ForsendelsesServiceV9</h3>
            <p>
              Adresse: <code>{soap}</code>
              <br />
              Tjenestebeskrivelse (WSDL): <a href={`${soap}?wsdl`}>{`${soap}?wsdl`}</a>
            </p>
            <h3>REST v1</h3>
            <p>
              Grunnadresse: <code>{rest}</code>
            </p>
            <div class="tabell">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Metode</th>
                    <th scope="col">Sti</th>
                    <th scope="col">Hva</th>
                  </tr>
                </thead>
                <tbody>
                  {REST_V1.map(([method, path, what]) => (
                    <tr>
                      <td>{method}</td>
                      <td>
                        <code>{path}</code>
                      </td>
                      <td>{what}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3>Drift</h3>
            <p>
              <code>/healthz</code> svarer så lenge prosessen lever; <code>/readyz</code> bare mens noden tar imot
              arbeid.
            </p>
          </main>
        </body>
      </html>
    );
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    );
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(
      <>
        {raw('<!doctype html>')}
        {page}
      </>,
    );
  });
  return app;
}
