/**
 * `sender create | rotate-password | list` and `user create | deactivate | list`. Output is one JSON
 * object per line (a list prints one line per entry), never a password hash.
 */
import type { Command } from 'commander';
import { withConfig } from './cli-audit.js';
import { UsageError, type CliContext, requireDataDir } from './cli-context.js';
import { readPassword } from './password-input.js';

const ROLES = ['admin', 'local-admin', 'sender-only'] as const;
type Role = (typeof ROLES)[number];

/** An epoch-ms time as ISO-8601, or null. */
function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** Adds the `sender` and `user` command groups. */
export function addAccountCommands(program: Command, ctx: CliContext): void {
  const sender = program.command('sender').description('avsendere (virksomheter som sender post gjennom REST/SOAP)');
  sender
    .command('create')
    .description(
      'oppretter en avsender og skriver ut kontoId (REST v2/v3) og tjenestepassordet (vises bare denne ene gangen)',
    )
    .option('--name <navn>', 'avsenderens navn (brukernavnet i REST/SOAP)')
    .option('--orgnr <orgnr>', 'organisasjonsnummer (9 siffer)')
    .action(async (o: { name?: string; orgnr?: string }) => {
      if (!o.name) throw new UsageError('--name mangler');
      const name = o.name;
      const { createAvsender } = await import('../app/accounts.js');
      const { avsender, servicePassword } = await withConfig(ctx, async (config, audit) => {
        const created = await createAvsender(config, { navn: name, orgnr: o.orgnr, now: Date.now() });
        await audit({ handling: 'avsender.opprettet', objekt: created.avsender.navn });
        return created;
      });
      ctx.out(
        JSON.stringify({
          name: avsender.navn,
          orgnr: avsender.orgnr ?? null,
          kontoId: avsender.kontoId ?? null,
          servicePassword,
        }),
      );
    });
  sender
    .command('rotate-password')
    .description('gir avsenderen et nytt tjenestepassord; det gamle slutter å virke straks')
    .option('--name <navn>', 'avsenderens navn')
    .action(async (o: { name?: string }) => {
      if (!o.name) throw new UsageError('--name mangler');
      const name = o.name;
      const { rotateServicePassword } = await import('../app/accounts.js');
      const servicePassword = await withConfig(ctx, async (config, audit) => {
        const passord = await rotateServicePassword(config, name);
        await audit({ handling: 'avsender.tjenestepassord-byttet', objekt: name });
        return passord;
      });
      ctx.out(JSON.stringify({ name, servicePassword }));
    });
  sender
    .command('list')
    .description('skriver ut alle avsendere, én JSON-linje hver (navn, orgnr, kontoId, opprettet)')
    .action(async () => {
      requireDataDir(ctx.settings());
      const all = await withConfig(ctx, (config) => config.listAvsendere());
      for (const a of all)
        ctx.out(
          JSON.stringify({
            name: a.navn,
            orgnr: a.orgnr ?? null,
            kontoId: a.kontoId ?? null,
            createdAt: iso(a.createdAt),
          }),
        );
    });

  const user = program.command('user').description('brukere av forvaltningsweben');
  user
    .command('create')
    .description('oppretter eller erstatter en bruker; uten --password spørres det etter passordet i terminalen')
    .option('--username <bruker>', 'brukernavn')
    .option('--role <rolle>', `rolle: ${ROLES.join(', ')}`)
    .option('--sender <navn>', 'avsenderen brukeren hører til (kreves for sender-only)')
    .option('--orgnr <orgnr>', 'organisasjonen en local-admin forvalter (ellers avsenderens)')
    .option(
      '--password <passord>',
      'passordet (synlig i skallhistorikk og ps: bruk heller spørsmålet eller --password-stdin)',
    )
    .option('--password-stdin', 'les passordet fra første linje på standard inn')
    .action(
      async (o: {
        username?: string;
        role?: string;
        sender?: string;
        orgnr?: string;
        password?: string;
        passwordStdin?: boolean;
      }) => {
        if (!o.username || !o.role) throw new UsageError('--username og --role må oppgis');
        if (!(ROLES as readonly string[]).includes(o.role)) throw new UsageError(`Ukjent rolle '${o.role}'`);
        if (o.password !== undefined && o.passwordStdin === true)
          throw new UsageError('Oppgi enten --password eller --password-stdin, ikke begge');
        const passord = o.password ?? (await readPassword(ctx.passwordSource, o.passwordStdin === true));
        const { putUser } = await import('../app/accounts.js');
        const args = {
          brukernavn: o.username,
          passord,
          rolle: o.role as Role,
          avsender: o.sender,
          orgnr: o.orgnr,
          now: Date.now(),
        };
        // A create that replaces a user (a new password or role for someone who had one) says so
        // on stderr: it must not look like a new user (found in review). The answer stays as it was.
        const { created, before } = await withConfig(ctx, async (config, audit) => {
          const existing = await config.getUser(o.username ?? '');
          const saved = await putUser(config, args);
          await audit({
            handling: existing === undefined ? 'bruker.opprettet' : 'bruker.endret',
            objekt: saved.brukernavn,
          });
          return { created: saved, before: existing };
        });
        if (before !== undefined)
          ctx.warn(
            `Advarsel: brukeren ${created.brukernavn} fantes fra før (rolle ${before.rolle}) og er erstattet: nytt passord, rolle ${created.rolle}`,
          );
        ctx.out(
          JSON.stringify({
            username: created.brukernavn,
            role: created.rolle,
            sender: created.avsender ?? null,
            orgnr: created.orgnr ?? null,
          }),
        );
      },
    );
  user
    .command('deactivate')
    .description(
      'deaktiverer en bruker: passordet slutter å virke og innloggingene avsluttes (brukeren blir stående i listen)',
    )
    .option('--username <bruker>', 'brukernavn')
    .action(async (o: { username?: string }) => {
      if (!o.username) throw new UsageError('--username mangler');
      const brukernavn = o.username;
      const { deactivateUserAccount } = await import('../app/accounts.js');
      const changed = await withConfig(ctx, async (config, audit) => {
        const done = await deactivateUserAccount(config, brukernavn);
        if (done) await audit({ handling: 'bruker.deaktivert', objekt: brukernavn });
        return done;
      });
      ctx.out(JSON.stringify({ username: brukernavn, deactivated: true, alreadyDeactivated: !changed }));
    });
  user
    .command('list')
    .description('skriver ut alle brukere, én JSON-linje hver (brukernavn, rolle, avsender, orgnr, opprettet)')
    .action(async () => {
      requireDataDir(ctx.settings());
      const all = await withConfig(ctx, (config) => config.listUsers());
      for (const u of all) {
        ctx.out(
          JSON.stringify({
            username: u.brukernavn,
            role: u.rolle,
            sender: u.avsender ?? null,
            orgnr: u.orgnr ?? null,
            createdAt: iso(u.createdAt),
          }),
        );
      }
    });
}
