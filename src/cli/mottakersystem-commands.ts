/**
 * `mottakersystem create | list | update | rotate-password`: the receiving systems that fetch
 * letters through SvarInn (docs/interfaces.md §11). Output is one JSON object per line; the
 * service password is printed once, at creation or rotation, never a hash.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { MottakersystemService } from '../app/mottakersystemer.js';
import type { Mottakersystem } from '../storage/ports.js';
import { withAudit, type CliAudit } from './cli-audit.js';
import { CliFailure, UsageError, type CliContext, requireDataDir } from './cli-context.js';

/** Opens the register and the audit log, runs `fn` on the service over it, and closes them. */
async function withService<T>(
  ctx: CliContext,
  fn: (service: MottakersystemService, audit: CliAudit) => Promise<T>,
): Promise<T> {
  const { openMottakersystemRegister } = await import('../composition/mottakersystem-register.js');
  const { MottakersystemService: Service } = await import('../app/mottakersystemer.js');
  const store = await openMottakersystemRegister(ctx.settings());
  try {
    return await withAudit(ctx, (audit) => fn(new Service({ register: store.register, now: Date.now }), audit));
  } finally {
    await store.close();
  }
}

/** What `list` prints of a system (no hash, no certificate body). */
function listed(m: Mottakersystem, facts: { subject: string; validTo: number; fingerprint256: string }): object {
  return {
    id: m.id,
    name: m.navn,
    orgnr: m.orgnr,
    forsendelsestype: m.forsendelseType ?? null,
    niva: m.niva ?? null,
    epost: m.epost ?? null,
    certificate: {
      subject: facts.subject,
      validTo: new Date(facts.validTo).toISOString(),
      fingerprint256: facts.fingerprint256,
    },
    createdAt: new Date(m.createdAt).toISOString(),
  };
}

/** Adds the `mottakersystem` command group. */
export function addMottakersystemCommands(program: Command, ctx: CliContext): void {
  const group = program
    .command('mottakersystem')
    .description('mottakersystemer (organisasjoner som henter post gjennom SvarInn)');
  group
    .command('create')
    .description(
      'registrerer et mottakersystem og skriver ut id (brukernavnet i SvarInn) og tjenestepassordet (vises bare denne ene gangen)',
    )
    .option('--orgnr <orgnr>', 'organisasjonsnummeret som mottar (9 siffer)')
    .option('--name <navn>', 'systemets navn (f.eks. «Sak/arkiv»)')
    .option(
      '--cert <fil>',
      'systemets X.509-sertifikat (PEM eller DER, RSA; fra en kjede tas det som ikke er CA); nedlastinger krypteres til det',
    )
    .option('--forsendelsestype <type>', 'bare forsendelser av denne typen (utelatt: alle typer)')
    .option('--niva <nivå>', 'bare forsendelser på sikkerhetsnivå 3 eller 4 (utelatt: begge)')
    .option('--epost <adresse>', 'hvem som varsles når forsendelser ikke hentes')
    .action(
      async (o: {
        orgnr?: string;
        name?: string;
        cert?: string;
        forsendelsestype?: string;
        niva?: string;
        epost?: string;
      }) => {
        if (!o.orgnr || !o.name || !o.cert) throw new UsageError('--orgnr, --name og --cert må oppgis');
        if (o.niva !== undefined && o.niva !== '3' && o.niva !== '4') {
          throw new UsageError(`Ugyldig --niva '${o.niva}': må være 3 eller 4`);
        }
        const certPath = o.cert;
        const { certificateText } = await import('../app/receiver-certificate.js');
        let sertifikat: string;
        try {
          // PEM, or binary DER (Windows' .cer export), which is taken as its PEM.
          sertifikat = certificateText(await readFile(certPath));
        } catch (error) {
          throw new CliFailure(`Kan ikke lese sertifikatfilen '${certPath}': ${(error as Error).message}`);
        }
        const args = {
          navn: o.name,
          orgnr: o.orgnr,
          sertifikat,
          forsendelseType: o.forsendelsestype,
          niva: o.niva === undefined ? undefined : (Number(o.niva) as 3 | 4),
          epost: o.epost,
        };
        const { system, servicePassword } = await withService(ctx, async (s, audit) => {
          const made = await s.create(args);
          await audit({
            handling: 'mottakersystem.opprettet',
            objekt: made.system.id,
            detaljer: `${made.system.navn}, orgnr ${made.system.orgnr}, type ${made.system.forsendelseType ?? 'alle'}, nivå ${made.system.niva ?? '3 og 4'}`,
          });
          return made;
        });
        ctx.out(JSON.stringify({ id: system.id, name: system.navn, orgnr: system.orgnr, servicePassword }));
      },
    );
  group
    .command('list')
    .description('skriver ut alle mottakersystemer, én JSON-linje hver (id, navn, orgnr, filtre, sertifikat)')
    .action(async () => {
      requireDataDir(ctx.settings());
      const { certificateFacts } = await import('../app/receiver-certificate.js');
      const all = await withService(ctx, (s) => s.list());
      for (const m of all) ctx.out(JSON.stringify(listed(m, certificateFacts(m.sertifikat))));
    });
  group
    .command('update')
    .description('endrer navn, filtre eller kontakt; det som ikke oppgis, beholdes (tom verdi fjerner et filter)')
    .option('--id <id>', 'mottakersystemets id')
    .option('--name <navn>', 'nytt navn')
    .option('--forsendelsestype <type>', 'bare forsendelser av denne typen («» for alle typer)')
    .option('--niva <nivå>', 'bare sikkerhetsnivå 3 eller 4 («alle» for begge)')
    .option('--epost <adresse>', 'kontaktens e-postadresse («» for ingen)')
    .action(async (o: { id?: string; name?: string; forsendelsestype?: string; niva?: string; epost?: string }) => {
      if (!o.id) throw new UsageError('--id mangler');
      if (o.niva !== undefined && !['3', '4', 'alle'].includes(o.niva)) {
        throw new UsageError(`Ugyldig --niva '${o.niva}': må være 3, 4 eller alle`);
      }
      const id = o.id;
      const changed = await withService(ctx, async (s, audit) => {
        const system = await s.get(id);
        const updated = await s.updateDetails(id, {
          navn: o.name ?? system.navn,
          forsendelseType: o.forsendelsestype ?? system.forsendelseType,
          niva: o.niva === undefined ? system.niva : o.niva === 'alle' ? undefined : (Number(o.niva) as 3 | 4),
          epost: o.epost ?? system.epost,
        });
        await audit({
          handling: 'mottakersystem.endret',
          objekt: id,
          detaljer: `${updated.navn}, type ${updated.forsendelseType ?? 'alle'}, nivå ${updated.niva ?? '3 og 4'}, kontakt ${updated.epost ?? 'ingen'}`,
        });
        return updated;
      });
      const { certificateFacts } = await import('../app/receiver-certificate.js');
      ctx.out(JSON.stringify(listed(changed, certificateFacts(changed.sertifikat))));
    });
  group
    .command('rotate-password')
    .description('gir mottakersystemet et nytt tjenestepassord; det gamle slutter å virke straks')
    .option('--id <id>', 'mottakersystemets id')
    .action(async (o: { id?: string }) => {
      if (!o.id) throw new UsageError('--id mangler');
      const id = o.id;
      const servicePassword = await withService(ctx, async (s, audit) => {
        const nytt = await s.rotatePassword(id);
        await audit({ handling: 'mottakersystem.nytt-passord', objekt: id });
        return nytt;
      });
      ctx.out(JSON.stringify({ id, servicePassword }));
    });
}
