/**
 * "Statistikk" per period and avsender, and its CSV export. The cost model's figures are
 * form fields (GET), so a user can try their own numbers and share the link.
 */
import type { Hono } from 'hono';
import type { FieldProblem } from '../../domain/errors.js';
import { addDays } from '../../domain/time/index.js';
import { avsenderScope, managedAvsendere, requireManager } from './access.js';
import { audit, currentUser, type AdminContext, type AdminDeps, type AdminEnv } from './admin-context.js';
import { DEFAULT_COST_MODEL, kronerToOre, minutesToField, oreToField, parseMinutes, type CostModel } from './cost-model.js';
import { isoDate, osloToday, parseDateField, periodBounds } from './period.js';
import { computeStatistics, loadStates, type Statistics } from './statistics.js';
import { StatsPage, type StatsForm } from './views/stats-page.js';

/** Reads the form (defaults: this month so far, all avsendere, the example cost model). */
function readForm(c: AdminContext, now: number, problems: FieldProblem[]): { form: StatsForm; model: CostModel } {
  const q = (name: string): string | undefined => c.req.query(name);
  const today = osloToday(now);
  const form: StatsForm = {
    fra: q('fra') ?? isoDate({ ...today, day: 1 }),
    til: q('til') ?? isoDate(today),
    avsender: q('avsender') ?? '',
    porto: q('porto') ?? oreToField(DEFAULT_COST_MODEL.portoOre),
    produksjon: q('produksjon') ?? oreToField(DEFAULT_COST_MODEL.produksjonOre),
    minUten: q('minUten') ?? minutesToField(DEFAULT_COST_MODEL.minutterUtenTjenesten),
    minManuell: q('minManuell') ?? minutesToField(DEFAULT_COST_MODEL.minutterManuellPrint),
    timekost: q('timekost') ?? oreToField(DEFAULT_COST_MODEL.timekostnadOre),
  };
  const money = (field: keyof StatsForm, label: string, fallback: number): number => {
    const v = kronerToOre(form[field]);
    if (v === undefined) problems.push({ field, message: `Ugyldig beløp i «${label}»: skriv kroner, f.eks. 23,50` });
    return v ?? fallback;
  };
  const minutes = (field: keyof StatsForm, label: string, fallback: number): number => {
    const v = parseMinutes(form[field]);
    if (v === undefined) problems.push({ field, message: `Ugyldig antall minutter i «${label}»` });
    return v ?? fallback;
  };
  const model: CostModel = {
    portoOre: money('porto', 'Porto per brev', DEFAULT_COST_MODEL.portoOre),
    produksjonOre: money('produksjon', 'Produksjonskostnad per brev', DEFAULT_COST_MODEL.produksjonOre),
    minutterUtenTjenesten: minutes('minUten', 'Håndteringstid uten tjenesten', DEFAULT_COST_MODEL.minutterUtenTjenesten),
    minutterManuellPrint: minutes('minManuell', 'Håndteringstid for manuell print', DEFAULT_COST_MODEL.minutterManuellPrint),
    timekostnadOre: money('timekost', 'Timekostnad', DEFAULT_COST_MODEL.timekostnadOre),
  };
  return { form, model };
}

/** Registers GET /statistikk and GET /statistikk.csv. */
export function statsRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;

  const compute = async (c: AdminContext) => {
    const user = currentUser(c);
    requireManager(user);
    const problems: FieldProblem[] = [];
    const { form, model } = readForm(c, now(), problems);
    const managed = (await managedAvsendere(user, deps.config)).map((a) => a.navn);
    const fraDate = parseDateField(form.fra, 'fra', 'Fra og med', problems) ?? { ...osloToday(now()), day: 1 };
    const tilDate = parseDateField(form.til, 'til', 'Til og med', problems) ?? osloToday(now());
    if (isoDate(tilDate) < isoDate(fraDate)) problems.push({ field: 'til', message: '«Til og med» kan ikke være før «Fra og med»' });
    if (isoDate(addDays(fraDate, 3 * 366)) < isoDate(tilDate)) problems.push({ field: 'til', message: 'Perioden kan være høyst tre år' });
    const chosen = avsenderScope(user, managed, form.avsender);
    const bounds = periodBounds(fraDate, tilDate) as { fra: number; til: number };
    const blocked = problems.some((p) => p.field === 'fra' || p.field === 'til');
    const { states, truncated } = blocked ? { states: [], truncated: false } : await loadStates(deps.readModel, chosen, bounds.fra, bounds.til);
    const stats = computeStatistics(states, bounds, model);
    return { user, form, model, managed, problems, stats, states, truncated, bounds };
  };

  app.get('/statistikk', async (c) => {
    const r = await compute(c);
    return c.html(
      <StatsPage
        ctx={{ user: r.user, csrf: c.get('csrf') }}
        form={r.form}
        model={r.model}
        avsendere={r.managed}
        problems={r.problems}
        stats={r.stats}
        truncated={r.truncated}
        csvQuery={new URL(c.req.url).search}
      />,
    );
  });

  app.get('/statistikk.csv', async (c) => {
    const r = await compute(c);
    const perAvsender = new Map<string, Statistics>();
    for (const navn of r.stats.perAvsender.keys()) {
      perAvsender.set(navn, computeStatistics(r.states.filter((s) => s.avsender === navn), r.bounds, r.model));
    }
    await audit(c, deps, { handling: 'statistikk.eksportert', detaljer: `${r.form.fra}–${r.form.til}, ${r.form.avsender || 'alle avsendere'}` });
    return c.body(statisticsCsv(perAvsender), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="budbringer-statistikk-${r.form.fra}-${r.form.til}.csv"`,
    });
  });
}

/** A CSV cell: quoted when needed; a leading formula character is neutralised (CSV injection). */
function cell(value: string | number): string {
  let s = typeof value === 'number' ? String(value) : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The export: one row per period bucket and avsender; semicolons and decimal commas (Norwegian spreadsheets). */
export function statisticsCsv(perAvsender: ReadonlyMap<string, Statistics>): string {
  const header = ['periode', 'avsender', 'antall', 'digitalt', 'papir', 'annet', 'varslet', 'lest', 'printkostnad_kr'];
  const rows = [header.join(';')];
  for (const [navn, stats] of perAvsender) {
    for (const { label, counts } of stats.perPeriode) {
      if (counts.antall === 0) continue;
      rows.push(
        [label, navn, counts.antall, counts.digitalt, counts.papir, counts.annet, counts.varslet, counts.lest, (counts.printkostnadOre / 100).toFixed(2).replace('.', ',')]
          .map(cell)
          .join(';'),
      );
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
