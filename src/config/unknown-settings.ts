/**
 * Environment variables that look like settings but are none (`SMTP_ULR`, `REDIS_PASSWORD`,
 * `PROT`): a typo here silently means the default (no SMTP: notices go to the outbox file).
 *
 * Warned about, not refused: the environment is shared with everything else in the
 * container or unit (platform variables, other programs' settings, Kubernetes service
 * links), so a near-miss may well belong to someone else, and a guess must not stop a
 * node. The BUDBRINGER_ prefix and the settings files are ours alone: unknown keys there
 * are errors (load-settings.ts).
 */

/**
 * Prefixes that only our settings use in a deployment's environment (SMTP_, KRR_ …);
 * generic ones (DATA_, LOG_, PUBLIC_, MAX_) are left out: other software uses them too.
 */
const FAMILY_PREFIXES = [
  'SMTP_',
  'KRR_',
  'SMS_',
  'PRINT_',
  'MONGODB_',
  'REDIS_',
  'JOB_',
  'SQLITE_',
  'NOTIFY_',
  'INBOX_',
  'SOAP_',
  'PDF_',
  'REPAIR_',
  'REMINDER_',
  'METRICS_',
  'FORSENDELSE_',
  'MOTTAKERSYSTEM',
  'SVARINN_',
  'DEMO_',
] as const;

/** Kubernetes injects `<SERVICE>_SERVICE_HOST`, `<SERVICE>_PORT=tcp://…` and `<SERVICE>_PORT_8080_TCP…` for every service. */
const SERVICE_LINK = /_SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?$|_PORT_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?$/;
const SERVICE_LINK_VALUE = /^(tcp|udp|sctp):\/\//;

/** True for a variable Kubernetes (or Docker's legacy links) set for a service. */
export function isServiceLink(key: string, value: string): boolean {
  return SERVICE_LINK.test(key) || (key.endsWith('_PORT') && SERVICE_LINK_VALUE.test(value));
}

/** Edit distance with adjacent transpositions (optimal string alignment): PROT → PORT is 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known setting `key` was probably meant as ("SMTP_URL"), or undefined when it does not
 * look like one: within edit distance 2 (1 for names of five letters or fewer, so HOME is
 * not taken for HOST); else, in one of our prefix families, that family ("en av KRR_FILE,
 * KRR_TOKEN, KRR_URL").
 */
export function nearestSetting(key: string, known: readonly string[]): string | undefined {
  const upper = key.toUpperCase();
  let nearest: string | undefined;
  let best = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const distance = editDistance(upper, k);
    if (distance < best) {
      best = distance;
      nearest = k;
    }
  }
  const limit = Math.min(key.length, nearest?.length ?? 0) <= 5 ? 1 : 2;
  if (nearest !== undefined && best <= limit) return nearest;
  const family = FAMILY_PREFIXES.find((p) => upper.startsWith(p));
  if (family === undefined) return undefined;
  const members = known.filter((k) => k.startsWith(family)).sort();
  return members.length > 1 ? `en av ${members.join(', ')}` : members[0];
}

/** Warnings (Norwegian) for environment variables that look like settings but are none. */
export function unknownSettingWarnings(
  env: Readonly<Record<string, string | undefined>>,
  known: ReadonlySet<string>,
): string[] {
  const names = [...known];
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || known.has(key) || key.startsWith('BUDBRINGER_') || isServiceLink(key, value)) continue;
    const nearest = nearestSetting(key, names);
    if (nearest !== undefined) warnings.push(`${key}: ukjent innstilling, blir ikke brukt; mente du ${nearest}?`);
  }
  return warnings.sort();
}
