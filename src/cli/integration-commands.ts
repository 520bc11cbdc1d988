/**
 * `integration create | list | grant | revoke | add-org | remove-org | rotate-password`: Fiks integrations for
 * REST v2/v3 (docs/interfaces.md "REST v2 and v3"). Output is one JSON object per line;
 * a password is printed only by `create` and `rotate-password`, once.
 */
import type { Command } from 'commander';
import { withConfig } from './cli-audit.js';
import { UsageError, type CliContext, requireDataDir } from './cli-context.js';

/** Said when no organisation may call with the integration: every Maskinporten call would be refused (403). */
function noOrganisationWarning(id: string): string {
  return (
    `Advarsel: ingen organisasjon er autorisert for integrasjonen ${id}, så alle kall med Maskinporten-token avvises. ` +
    `Legg til organisasjonen i tokenets consumer (den som kaller, eller ved delegering den som delegerte): ` +
    `budbringer integration add-org --id ${id} --orgnr <orgnr>`
  );
}

/** Adds the `integration` command group. */
export function addIntegrationCommands(program: Command, ctx: CliContext): void {
  const integration = program
    .command('integration')
    .description('integrasjoner som bruker REST v2/v3 (IntegrasjonId og IntegrasjonPassord, Maskinporten)');
  integration
    .command('create')
    .description(
      'oppretter en integrasjon med tilgang til avsenderens konto; skriver ut integrasjonId, passord (vises bare denne ene gangen) og kontoId',
    )
    .option('--sender <navn>', 'avsenderen integrasjonen får tilgang til')
    .option('--name <navn>', 'hva integrasjonen er (standard: avsenderens navn)')
    .option(
      '--org <orgnr...>',
      'organisasjoner (orgnr) som får kalle med integrasjonen, i tillegg til avsenderens egen: consumer i Maskinporten-tokenet må være en av dem',
    )
    .action(async (o: { sender?: string; name?: string; org?: string[] }) => {
      if (!o.sender) throw new UsageError('--sender mangler');
      const sender = o.sender;
      const { authorisedOrganisations, createIntegrasjon } = await import('../app/fiks/integrasjoner.js');
      const r = await withConfig(ctx, async (config, audit) => {
        const made = await createIntegrasjon(config, {
          navn: o.name ?? sender,
          avsender: sender,
          organisasjoner: o.org ?? [],
          now: Date.now(),
        });
        await audit({
          handling: 'integrasjon.opprettet',
          objekt: made.integrasjon.id,
          detaljer: `${made.integrasjon.navn}, tilgang til ${sender}`,
        });
        return { ...made, callers: await authorisedOrganisations(config, made.integrasjon) };
      });
      if (r.callers.size === 0) ctx.warn(noOrganisationWarning(r.integrasjon.id));
      ctx.out(JSON.stringify({ integrasjonId: r.integrasjon.id, passord: r.passord, kontoId: r.kontoId ?? null }));
    });
  integration
    .command('list')
    .description(
      'skriver ut alle integrasjoner, én JSON-linje hver (id, navn, avsendere med kontoId, organisasjoner som kan kalle)',
    )
    .action(async () => {
      requireDataDir(ctx.settings());
      const { authorisedOrganisations } = await import('../app/fiks/integrasjoner.js');
      await withConfig(ctx, async (config) => {
        const kontoIds = new Map((await config.listAvsendere()).map((a) => [a.navn, a.kontoId ?? null]));
        for (const i of await config.listIntegrasjoner()) {
          const callers = [...(await authorisedOrganisations(config, i))].sort();
          ctx.out(
            JSON.stringify({
              integrasjonId: i.id,
              name: i.navn,
              senders: i.kontoer.map((navn) => ({ name: navn, kontoId: kontoIds.get(navn) ?? null })),
              organisations: i.organisasjoner ?? [],
              // Who may call: those above and the avsendere's own orgnr (a Maskinporten token's consumer).
              callers,
              createdAt: new Date(i.createdAt).toISOString(),
            }),
          );
        }
      });
    });
  for (const [name, tilgang, text] of [
    ['grant', true, 'gir integrasjonen tilgang til avsenderens konto'],
    ['revoke', false, 'tar fra integrasjonen tilgangen til avsenderens konto'],
  ] as const) {
    integration
      .command(name)
      .description(text)
      .option('--id <integrasjonId>', 'integrasjonens id')
      .option('--sender <navn>', 'avsenderen')
      .action(async (o: { id?: string; sender?: string }) => {
        if (!o.id || !o.sender) throw new UsageError('--id og --sender må oppgis');
        const args = { integrasjonId: o.id, avsender: o.sender, tilgang };
        const { setTilgang } = await import('../app/fiks/integrasjoner.js');
        const kontoId = await withConfig(ctx, async (config, audit) => {
          const konto = await setTilgang(config, args);
          await audit({
            handling: tilgang ? 'integrasjon.tilgang-gitt' : 'integrasjon.tilgang-fjernet',
            objekt: args.integrasjonId,
            detaljer: args.avsender,
          });
          return konto;
        });
        ctx.out(JSON.stringify({ integrasjonId: args.integrasjonId, sender: args.avsender, kontoId, access: tilgang }));
      });
  }
  for (const [name, autorisert, text] of [
    ['add-org', true, 'lar organisasjonen (orgnr, consumer i Maskinporten-tokenet) kalle med integrasjonen'],
    [
      'remove-org',
      false,
      'lar ikke lenger organisasjonen kalle med integrasjonen (avsendernes egne orgnr gjelder fortsatt)',
    ],
  ] as const) {
    integration
      .command(name)
      .description(text)
      .option('--id <integrasjonId>', 'integrasjonens id')
      .option('--orgnr <orgnr>', 'organisasjonsnummeret')
      .action(async (o: { id?: string; orgnr?: string }) => {
        if (!o.id || !o.orgnr) throw new UsageError('--id og --orgnr må oppgis');
        const args = { integrasjonId: o.id, orgnr: o.orgnr, autorisert };
        const { authorisedOrganisations, setOrganisasjon } = await import('../app/fiks/integrasjoner.js');
        const r = await withConfig(ctx, async (config, audit) => {
          const changed = await setOrganisasjon(config, args);
          await audit({
            handling: autorisert ? 'integrasjon.organisasjon-lagt-til' : 'integrasjon.organisasjon-fjernet',
            objekt: changed.id,
            detaljer: `${changed.navn}: ${args.orgnr}`,
          });
          return { changed, callers: await authorisedOrganisations(config, changed) };
        });
        if (r.callers.size === 0) ctx.warn(noOrganisationWarning(r.changed.id));
        ctx.out(JSON.stringify({ integrasjonId: r.changed.id, organisations: r.changed.organisasjoner ?? [] }));
      });
  }
  integration
    .command('rotate-password')
    .description('gir integrasjonen et nytt passord (vises bare denne ene gangen); det gamle slutter å virke straks')
    .option('--id <integrasjonId>', 'integrasjonens id')
    .action(async (o: { id?: string }) => {
      if (!o.id) throw new UsageError('--id mangler');
      const id = o.id;
      const { rotateIntegrasjonPassord } = await import('../app/fiks/integrasjoner.js');
      const passord = await withConfig(ctx, async (config, audit) => {
        const nytt = await rotateIntegrasjonPassord(config, id);
        await audit({ handling: 'integrasjon.nytt-passord', objekt: id });
        return nytt;
      });
      ctx.out(JSON.stringify({ integrasjonId: id, passord }));
    });
}
