/**
 * `/api-dokumentasjon`: the OpenAPI descriptions of the REST APIs this node answers, as JSON
 * (`/api-dokumentasjon/<name>.json`) and as a readable page made with Swagger UI, whose files
 * are served from the installed swagger-ui-dist package (no CDN). The page has its own CSP:
 * scripts and styles from this origin only, so the start-up script is a file, not inline.
 *
 * The specs: Budbringer's REST v1 (written from KS's REST v1 JSON schemas, with the webhook
 * extension) and KS's own REST v2/v3 files, byte-identical copies in `ks/`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { applySecurityHeaders } from '../security-headers.js';

/** One spec on the page. */
export interface ApiSpec {
  /** File name without `.json`; the address is `/api-dokumentasjon/<name>.json`. */
  readonly name: string;
  readonly title: string;
  readonly file: string;
}

/** KS's REST v2/v3 specs (ks-no/fiks-svarut-klient, ks-no/fiks-svarut-specs). */
const KS_SPECS = [
  ['forsendelse-send-api-v3', 'SvarUt v3: send (KS)'],
  ['forsendelse-status-api-v3', 'SvarUt v3: status (KS)'],
  ['forsendelse-send-api-v2', 'SvarUt v2: send (KS)'],
  ['forsendelse-status-api-v2', 'SvarUt v2: status (KS)'],
  ['forsendelse-hendelser-api-v2', 'SvarUt v2: hendelser (KS)'],
  ['forsendelse-metadata-api-v2', 'SvarUt v2: metadata (KS)'],
  ['forsendelse-lest-api-v2', 'SvarUt v2: lest (KS)'],
  ['forsendelse-slett-api-v2', 'SvarUt v2: slett dokumenter (KS)'],
  ['forsendelse-eksternref-api-v2', 'SvarUt v2: ekstern referanse (KS)'],
  ['forsendelse-typer-api-v2', 'SvarUt v2: forsendelsestyper (KS)'],
  ['mottakersystem-api-v2', 'SvarUt v2: mottakersystem (KS)'],
] as const;

/** Every spec the page lists, Budbringer's own first. */
export const API_SPECS: readonly ApiSpec[] = [
  {
    name: 'budbringer-rest-v1',
    title: 'REST v1 (SvarUt-kompatibelt) og webhooks',
    file: join(import.meta.dirname, 'budbringer-rest-v1.json'),
  },
  ...KS_SPECS.map(([name, title]) => ({ name, title, file: join(import.meta.dirname, 'ks', `${name}.json`) })),
];

/** The Swagger UI files the page uses, with their media types. */
const UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Starts Swagger UI on the spec named by the page (a file, since the CSP allows no inline script). */
const INIT_JS = `window.addEventListener('load', function () {
  var el = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: el.getAttribute('data-spec'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false
  });
});
`;

const PAGE_CSS = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b1b1b}
header{background:#063461;color:#fff;padding:1.2rem 1.5rem}header a{color:#fff}h1{margin:0 0 .3rem;font-size:1.6rem}
nav{padding:.8rem 1.5rem;background:#f3f5f8;line-height:1.8}nav a{color:#0a4a85;margin-right:1rem}nav a[aria-current]{font-weight:700;color:#1b1b1b}
:focus-visible{outline:3px solid #1b1b1b;box-shadow:0 0 0 6px #ffbf47}`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Builds the app, mounted at `/api-dokumentasjon`. */
export function createOpenApiApp(): Hono {
  const app = new Hono();
  const uiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Uint8Array>();
  const bytesOf = (file: string): Uint8Array => {
    let bytes = cache.get(file);
    if (bytes === undefined) {
      bytes = new Uint8Array(readFileSync(file));
      cache.set(file, bytes);
    }
    return bytes;
  };

  app.use('*', async (c, next) => {
    await next();
    applySecurityHeaders(c.res, { pageCsp: CSP, referrerPolicy: 'same-origin', frameOptions: 'DENY' });
  });

  app.get('/', (c) => {
    const wanted = c.req.query('spec');
    const current = API_SPECS.find((s) => s.name === wanted) ?? (API_SPECS[0] as ApiSpec);
    const links = API_SPECS.map(
      (s) =>
        `<a href="?spec=${s.name}"${s === current ? ' aria-current="page"' : ''}>${escapeHtml(s.title)}</a>` +
        `<a href="/api-dokumentasjon/${s.name}.json">(JSON)</a>`,
    ).join('\n');
    const html = `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API-dokumentasjon – ${escapeHtml(current.title)} – Budbringer</title>
<link rel="icon" href="/api-dokumentasjon/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/api-dokumentasjon/swagger-ui/swagger-ui.css">
<link rel="stylesheet" href="/api-dokumentasjon/side.css">
</head>
<body>
<header><h1>API-dokumentasjon</h1><p><a href="/">Budbringer</a> · REST-grensesnittene denne noden svarer på. REST v2/v3-beskrivelsene er KS sine egne, uendret.</p></header>
<nav aria-label="API-er">
${links}
</nav>
<main><div id="swagger-ui" data-spec="/api-dokumentasjon/${current.name}.json"></div></main>
<script src="/api-dokumentasjon/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/api-dokumentasjon/start.js"></script>
</body>
</html>`;
    return c.html(html);
  });
  app.get('/start.js', (c) =>
    c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );
  app.get('/side.css', (c) =>
    c.body(PAGE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );
  app.get('/swagger-ui/:file', (c) => {
    const file = c.req.param('file');
    const type = UI_FILES[file];
    if (type === undefined) return c.notFound();
    const body = bytesOf(join(uiDir, file));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
  app.get('/:file', (c) => {
    const file = c.req.param('file');
    const spec = API_SPECS.find((s) => `${s.name}.json` === file);
    if (spec === undefined) return c.notFound();
    return c.body(bytesOf(spec.file) as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': '*',
    });
  });
  return app;
}
