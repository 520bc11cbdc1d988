/**
 * One compose, in process: a cover page drawn in and a two-page letter (the bench's letter
 * PDF), as the compose job asks a PDF thread for it. Prints wall time and CPU per compose
 * and how many timers one compose starts (pdf-lib and fontkit's browser-minded sleeps,
 * src/pdf/pdf-lib-runtime.ts). Figures in bench/README.md, "Compose".
 *
 *   node --import tsx bench/compose.ts [--n 400]
 */
import { createHook } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import { composeForsendelsesfil, forsideFor, type ForsideInput } from '../src/pdf/index.js';
import { makeLetterPdf } from '../test/fixtures/letter-pdf.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '400' } } });
const n = Number(values.n);

const letter = await makeLetterPdf({ seed: 1 });
const cover = (i: number): ForsideInput => ({
  avsender: {
    navn: 'Testkommune',
    adresselinjer: ['Rådhusgata 1'],
    postnr: '0150',
    poststed: 'OSLO',
    tekst: 'Dette brevet er sendt fra Testkommune. Ta kontakt ved spørsmål om innholdet i brevet.',
  },
  mottaker: { navn: `Ola Nordmann ${i}`, adresse1: `Storgata ${i}`, postnr: '0150', poststed: 'OSLO' },
  tittel: 'Vedtak om byggesøknad',
  dato: Date.UTC(2026, 11, 4),
});
const compose = (i: number) =>
  composeForsendelsesfil({
    forside: forsideFor(cover(i), 'print'),
    documents: [{ bytes: letter, ekskluderesFraPrint: false }],
    variant: 'print',
  });

for (let i = 0; i < 50; i += 1) await compose(i); // warm: font tables, JIT
await new Promise((resolve) => setTimeout(resolve, 20));

let timers = 0;
const hook = createHook({
  init(_id, type) {
    if (type === 'Timeout') timers += 1;
  },
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let bytes = 0;
hook.enable();
for (let i = 0; i < n; i += 1) bytes = (await compose(i)).bytes.length;
hook.disable();
const wall = (performance.now() - t0) / n;
const cpu = process.cpuUsage(cpu0);
const round = (x: number) => Math.round(x * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    n,
    compose_wall_ms: round(wall),
    compose_cpu_ms: round((cpu.user + cpu.system) / 1000 / n),
    timers_per_compose: round(timers / n),
    bytes,
  })}\n`,
);
