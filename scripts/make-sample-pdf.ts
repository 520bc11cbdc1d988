/** Writes a sample two-page letter PDF (for the README walk-through): `npx tsx scripts/make-sample-pdf.ts brev.pdf`. */
import { writeFileSync } from 'node:fs';
import { makeLetterPdf } from '../test/fixtures/letter-pdf.js';

const target = process.argv[2] ?? 'brev.pdf';
writeFileSync(target, await makeLetterPdf({ seed: 1, title: 'Vedtak' }));
process.stdout.write(`${target}\n`);
