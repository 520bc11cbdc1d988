/**
 * Loads `config/default.json`, an optional extra file, and environment overrides, and
 * validates them together. Every problem is listed at once; the caller stops the start.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { settingsSchema, type Settings } from './schema.js';

/** Thrown when the settings are invalid; `problems` lists every one. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Ugyldig konfigurasjon:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const KNOWN = new Set(Object.keys(settingsSchema.shape));

/** Reads a JSON settings file; problems are added to `problems`. */
function readJsonFile(path: string, problems: string[]): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${path}: må være et JSON-objekt`);
      return {};
    }
    return value as Record<string, unknown>;
  } catch (error) {
    problems.push(`${path}: ${(error as Error).message}`);
    return {};
  }
}

/**
 * Merges files (later wins) and `env` (wins over files; only known keys, plus any
 * `BUDBRINGER_*` key, which must be known), validates, and derives PUBLIC_URL.
 */
export function loadSettings(files: readonly string[], env: Readonly<Record<string, string | undefined>>): Settings {
  const problems: string[] = [];
  const merged: Record<string, unknown> = {};
  for (const file of files) Object.assign(merged, readJsonFile(file, problems));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (KNOWN.has(key)) {
      merged[key] = ['FORSENDELSE_TYPER', 'MOTTAKERSYSTEMER'].includes(key) ? parseJsonEnv(key, value, problems) : value;
    } else if (key.startsWith('BUDBRINGER_')) problems.push(`${key}: ukjent innstilling`);
  }
  // Norwegian like every other refusal; messages set in the schema take precedence.
  const result = settingsSchema.safeParse(merged, { error: z.locales.no().localeError });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
      problems.push(`${keys || '(rot)'}: ${issue.code === 'unrecognized_keys' ? 'ukjent innstilling' : issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new SettingsError(problems);
  const s = result.data;
  const host = s.HOST === '0.0.0.0' || s.HOST === '::' ? '127.0.0.1' : s.HOST;
  return { ...s, PUBLIC_URL: (s.PUBLIC_URL ?? `http://${host}:${s.PORT}`).replace(/\/+$/, '') };
}

function parseJsonEnv(key: string, value: string, problems: string[]): unknown {
  try {
    return JSON.parse(value);
  } catch {
    problems.push(`${key}: må være JSON`);
    return undefined;
  }
}
