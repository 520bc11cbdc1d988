/**
 * "Statistikk" per period and avsender, and its CSV export. The cost model's figures are
 * form fields (GET), so a user can try their own numbers and share the link. The numbers
 * come from one aggregate the store computes (src/app/admin/statistics.ts); a bad field
 * answers 400 with the page and its messages, and nothing is queried.
 */
import type { Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { FieldProblem } from '../../domain/errors.js';
import { costModelOf, defaultCostModelFields, type CostModel } from '../../app/admin/cost-model.js';
import { checkPeriod, isoDate, osloToday, parseDateField } from '../../app/admin/period.js';
import { avsenderChoiceProblem, searchText } from '../../app/admin/query-rules.js';
import { computeStatistics, statisticsBuckets, statisticsCsvLines } from '../../app/admin/statistics.js';
import {
  audit,
  currentUser,
  refuseCrossSiteDownload,
  type AdminContext,
  type AdminDeps,
  type AdminEnv,
} from './admin-context.js';
import { StatsPage, type StatsForm } from './views/stats-page.js';

/** Longest period the statistics cover (shown per month). */
export const MAX_STATISTICS_YEARS = 3;

/** Reads the form (defaults: this month so far, all avsendere, the example cost model). */
function readForm(c: AdminContext, now: number, problems: FieldProblem[]): { form: StatsForm; model: CostModel } {
  const q = (name: string): string | undefined => c.req.query(name);
  const today = osloToday(now);
  const defaults = defaultCostModelFields();
  const form: StatsForm = {
    fra: q('fra') ?? isoDate({ ...today, day: 1 }),
    til: q('til') ?? isoDate(today),
    avsender: searchText(q('avsender'), 'avsender', 'Avsender', problems),
    porto: q('porto') ?? defaults.porto,
    produksjon: q('produksjon') ?? defaults.produksjon,
    minUten: q('minUten') ?? defaults.minUten,
    minManuell: q('minManuell') ?? defaults.minManuell,
    timekost: q('timekost') ?? defaults.timekost,
  };
  const model = costModelOf(form, problems);
  return { form, model };
}

/** Registers GET /statistikk and GET /statistikk.csv. */
export function statsRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;

  const compute = async (c: AdminContext) => {
    const user = currentUser(c);
    const { managed } = await deps.admin.scope(user);
    const t = now();
    const problems: FieldProblem[] = [];
    const { form, model } = readForm(c, t, problems);
    avsenderChoiceProblem(form.avsender, managed, problems);
    const fra = parseDateField(form.fra, 'fra', 'Fra og med', problems, t);
    const til = parseDateField(form.til, 'til', 'Til og med', problems, t);
    const periodOk = checkPeriod(fra, til, MAX_STATISTICS_YEARS, { fra: 'Fra og med', til: 'Til og med' }, problems);
    // Without a valid period nothing is queried, and the page shows today with no letters.
    const today = osloToday(t);
    const buckets =
      periodOk && fra !== undefined && til !== undefined
        ? statisticsBuckets(fra, til)
        : statisticsBuckets(today, today);
    const agg =
      problems.length > 0
        ? { grupper: [], konteringskoder: [], lesetider: { antall: 0, sumMs: 0, fordeling: [0, 0, 0, 0] } }
        : await deps.admin.statistics(user, form.avsender, buckets);
    return { user, form, model, managed, problems, agg, buckets };
  };

  const page = (c: AdminContext, r: Awaited<ReturnType<typeof compute>>) =>
    c.html(
      <StatsPage
        ctx={{ user: r.user, csrf: c.get('csrf') }}
        form={r.form}
        model={r.model}
        avsendere={r.managed}
        problems={r.problems}
        stats={computeStatistics(r.agg, r.buckets, r.model)}
        csvQuery={new URL(c.req.url).search}
      />,
      r.problems.length > 0 ? 400 : 200,
    );

  app.get('/statistikk', async (c) => page(c, await compute(c)));

  app.get('/statistikk.csv', async (c) => {
    refuseCrossSiteDownload(c);
    const r = await compute(c);
    if (r.problems.length > 0) return page(c, r);
    await audit(c, deps, {
      handling: 'statistikk.eksportert',
      detaljer: `${r.form.fra}–${r.form.til}, ${r.form.avsender || 'alle avsendere'}`,
    });
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="budbringer-statistikk-${r.form.fra}-${r.form.til}.csv"`);
    // Written line by line as the client takes it: the export never sits whole in memory.
    return stream(c, async (out) => {
      for (const line of statisticsCsvLines(r.agg, r.buckets)) await out.write(line);
    });
  });
}
