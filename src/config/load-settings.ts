/**
 * Loads `config/default.json`, an optional extra file, and environment overrides, and
 * validates them together. Every problem is listed at once; the caller stops the start.
 * Environment variables that merely look like settings come back as warnings
 * (unknown-settings.ts explains why they do not stop the start).
 */
import { readFileSync } from 'node:fs';
import { settingsErrorMap } from './norwegian-messages.js';
import { addIsoDuration, parseIsoDuration } from '../domain/time/index.js';
import { settingsSchema, type Settings } from './schema.js';
import { isServiceLink, nearestSetting, unknownSettingWarnings } from './unknown-settings.js';

/** Thrown when the settings are invalid; `problems` lists every one. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Ugyldig konfigurasjon:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** A settings file: its path, or its path and the variable that named it (`CONFIG_FILE`), for the messages. */
export type SettingsFile = string | { readonly path: string; readonly namedBy: string };

/** Settings plus warnings about environment variables that look like settings but are none. */
export interface LoadedSettings {
  readonly settings: Settings;
  readonly warnings: readonly string[];
}

/** Every setting's name, plus CONFIG_FILE (read by main.ts, not a setting itself). */
const KNOWN = new Set([...Object.keys(settingsSchema.shape), 'CONFIG_FILE']);
const KNOWN_LIST = [...KNOWN];

/** What went wrong reading a file, in Norwegian. */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'filen finnes ikke';
  if (code === 'EACCES' || code === 'EPERM') return 'mangler lesetilgang til filen';
  if (code === 'EISDIR') return 'er en mappe, ikke en fil';
  return `kan ikke leses (${code ?? (error as Error).message})`;
}

/** Reads a JSON settings file; problems are added to `problems`. */
function readJsonFile(file: SettingsFile, problems: string[]): Record<string, unknown> {
  const path = typeof file === 'string' ? file : file.path;
  const label = typeof file === 'string' ? path : `${path} (${file.namedBy})`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${label}: ${readProblem(error)}`);
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${label}: må være et JSON-objekt`);
      return {};
    }
    return value as Record<string, unknown>;
  } catch (error) {
    problems.push(`${label}: er ikke gyldig JSON (${(error as Error).message})`);
    return {};
  }
}

/** "ukjent innstilling", with the setting it was probably meant as. */
function unknownKey(key: string): string {
  const nearest = nearestSetting(key, KNOWN_LIST);
  return nearest === undefined ? 'ukjent innstilling' : `ukjent innstilling; mente du ${nearest}?`;
}

/**
 * Merges files (later wins) and `env` (wins over files; only known keys, plus any
 * `BUDBRINGER_*` key, which must be known), validates, and derives PUBLIC_URL.
 */
export function loadSettingsWithWarnings(
  files: readonly SettingsFile[],
  env: Readonly<Record<string, string | undefined>>,
): LoadedSettings {
  const problems: string[] = [];
  const merged: Record<string, unknown> = {};
  for (const file of files) Object.assign(merged, readJsonFile(file, problems));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key === 'CONFIG_FILE') continue;
    if (KNOWN.has(key)) {
      merged[key] = ['FORSENDELSE_TYPER', 'MOTTAKERSYSTEMER'].includes(key)
        ? parseJsonEnv(key, value, problems)
        : value;
      // Kubernetes sets BUDBRINGER_PORT=tcp://… and BUDBRINGER_SERVICE_HOST for a service named budbringer.
    } else if (key.startsWith('BUDBRINGER_') && !isServiceLink(key, value)) problems.push(`${key}: ${unknownKey(key)}`);
  }
  const result = settingsSchema.safeParse(merged, { error: settingsErrorMap });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) problems.push(`${key}: ${unknownKey(key)}`);
      else problems.push(`${issue.path.join('.') || '(rot)'}: ${issue.message}`);
    }
  }
  if (result.success)
    problems.push(
      ...reminderProblems(result.data),
      ...clusterProblems(result.data),
      ...tokenIssuerProblems(result.data),
    );
  if (problems.length > 0 || !result.success) throw new SettingsError(problems);
  const s = result.data;
  const host = s.HOST === '0.0.0.0' || s.HOST === '::' ? '127.0.0.1' : s.HOST;
  return {
    settings: { ...s, PUBLIC_URL: (s.PUBLIC_URL ?? `http://${host}:${s.PORT}`).replace(/\/+$/, '') },
    warnings: unknownSettingWarnings(env, KNOWN),
  };
}

/** loadSettingsWithWarnings without the warnings (tests, tools). */
export function loadSettings(
  files: readonly SettingsFile[],
  env: Readonly<Record<string, string | undefined>>,
): Settings {
  return loadSettingsWithWarnings(files, env).settings;
}

function parseJsonEnv(key: string, value: string, problems: string[]): unknown {
  try {
    return JSON.parse(value);
  } catch {
    problems.push(`${key}: må være JSON`);
    return undefined;
  }
}

/** Cluster mode needs both stores: MONGODB_URI without REDIS_URL was an error with a stack trace at start. */
function clusterProblems(s: Pick<Settings, 'MONGODB_URI' | 'REDIS_URL'>): string[] {
  if (s.MONGODB_URI === undefined || s.REDIS_URL !== undefined) return [];
  return [
    'MONGODB_URI: klyngemodus trenger også REDIS_URL (jobbkøen, innloggingssperrer og engangskoder deles gjennom Redis); uten MONGODB_URI kjører noden innebygd',
  ];
}

/**
 * A token issuer's keys and name go together: with one of them the node started, warned, and
 * refused every token of that issuer (found in review).
 */
function tokenIssuerProblems(
  s: Pick<Settings, 'MASKINPORTEN_JWKS' | 'MASKINPORTEN_ISSUER' | 'FIKSPORTEN_JWKS' | 'FIKSPORTEN_ISSUER'>,
): string[] {
  const pairs = [
    ['MASKINPORTEN', s.MASKINPORTEN_JWKS, s.MASKINPORTEN_ISSUER],
    ['FIKSPORTEN', s.FIKSPORTEN_JWKS, s.FIKSPORTEN_ISSUER],
  ] as const;
  return pairs
    .filter(([, jwks, issuer]) => (jwks === undefined) !== (issuer === undefined))
    .map(([name, jwks]) =>
      jwks === undefined
        ? `${name}_JWKS: må settes sammen med ${name}_ISSUER (nøklene tokenene sjekkes mot, en fil eller https://-URL)`
        : `${name}_ISSUER: må settes sammen med ${name}_JWKS (utstederen tokenene sjekkes mot${name === 'MASKINPORTEN' ? ', f.eks. https://maskinporten.no/' : ''})`,
    );
}

const DAY_MS = 86_400_000;

/**
 * Why RETENTION looks too short, or undefined: it should outlast the print deadline and the
 * print, or an unread letter's documents are deleted RETENTION after its notice, before the
 * paper fallback can print them (`PT3M` for `P3M`: found in review). At least 14 days (two
 * business days span a week around Easter, then the print), or PRINT_FALLBACK_AFTER and a week.
 * A warning, not a refusal: a test or a demo purges in seconds on purpose.
 */
export function retentionWarning(s: Pick<Settings, 'RETENTION' | 'PRINT_FALLBACK_AFTER'>): string | undefined {
  const retention = addIsoDuration(0, parseIsoDuration(s.RETENTION));
  const deadline =
    s.PRINT_FALLBACK_AFTER === undefined ? 0 : addIsoDuration(0, parseIsoDuration(s.PRINT_FALLBACK_AFTER));
  const least = Math.max(14 * DAY_MS, deadline + 7 * DAY_MS);
  if (retention >= least) return undefined;
  const days = Math.ceil(least / DAY_MS);
  return `RETENTION (${s.RETENTION}) er kortere enn ${days} dager (P${days}D): dokumentene til et ulest brev slettes før fristen for print er ute, og brevet kan ikke skrives ut`;
}

/**
 * A node listening on every interface (HOST 0.0.0.0 or ::, as in the image) whose PUBLIC_URL
 * names the loopback, which is what it is without one: every notice's link, every WSDL's
 * address and SvarInn's downloadUrl then point at the reader's own machine. Right for trying
 * the image on one's own machine, so a warning (found in review: a container started without
 * PUBLIC_URL sent citizens links to 127.0.0.1 and said nothing).
 */
export function publicUrlWarning(s: Pick<Settings, 'HOST' | 'PUBLIC_URL'>): string | undefined {
  if (s.HOST !== '0.0.0.0' && s.HOST !== '::') return undefined;
  const host = URL.canParse(s.PUBLIC_URL ?? '') ? new URL(s.PUBLIC_URL ?? '').hostname : '';
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return undefined;
  return `PUBLIC_URL (${s.PUBLIC_URL}) peker på maskinen selv, men noden tar imot på alle grensesnitt (HOST ${s.HOST}): lenkene i varsler, WSDL-adressene og SvarInns downloadUrl virker bare herfra. Sett PUBLIC_URL til adressen mottakere og klienter bruker, f.eks. https://post.kommune.no`;
}

/**
 * REMINDER_BEFORE must be shorter than the shortest print deadline (two business days, at
 * least 47 hours with a DST change between; or PRINT_FALLBACK_AFTER): a longer one would send
 * every reminder together with its notification (found in review).
 */
function reminderProblems(s: Pick<Settings, 'REMINDER_BEFORE' | 'PRINT_FALLBACK_AFTER'>): string[] {
  if (s.REMINDER_BEFORE === undefined) return [];
  const before = addIsoDuration(0, parseIsoDuration(s.REMINDER_BEFORE));
  const deadline =
    s.PRINT_FALLBACK_AFTER === undefined ? 47 * 3_600_000 : addIsoDuration(0, parseIsoDuration(s.PRINT_FALLBACK_AFTER));
  if (before < deadline) return [];
  const frist =
    s.PRINT_FALLBACK_AFTER === undefined ? 'to virkedager' : `PRINT_FALLBACK_AFTER (${s.PRINT_FALLBACK_AFTER})`;
  return [
    `REMINDER_BEFORE: må være kortere enn fristen for print, ${frist}; ellers sendes påminnelsen sammen med varselet (fikk ${s.REMINDER_BEFORE})`,
  ];
}
