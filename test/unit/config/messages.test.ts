/**
 * One case per configuration message: what an operator reads when a setting is wrong,
 * missing or misspelt. Each names the setting (or file) and says, in Norwegian, what to
 * write instead; none is zod's English type names.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  loadSettingsWithWarnings,
  publicUrlWarning,
  retentionWarning,
  SettingsError,
  type SettingsFile,
} from '../../../src/config/load-settings.js';

/** The one problem loadSettings reports for these inputs. */
function onlyProblem(env: Record<string, string>, files: readonly SettingsFile[] = []): string {
  try {
    loadSettingsWithWarnings(files, env);
  } catch (error) {
    assert.ok(error instanceof SettingsError, String(error));
    assert.equal(error.problems.length, 1, error.problems.join('\n'));
    return error.problems[0] ?? '';
  }
  assert.fail('accepted');
}

/** The warnings for an environment that is otherwise valid. */
const warnings = (env: Record<string, string>): readonly string[] => loadSettingsWithWarnings([], env).warnings;

describe('configuration messages', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-config-msg-'));
  });
  after(() => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  it('PORT=abc: not a number, quoting the value (not "empty")', () => {
    assert.equal(onlyProblem({ PORT: 'abc' }), 'PORT: må være et tall, ikke "abc"');
  });

  it('PORT= (blank): an empty value, and how to get the default', () => {
    assert.equal(
      onlyProblem({ PORT: ' ' }),
      'PORT: tom verdi er ikke lov; fjern innstillingen for å bruke standardverdien',
    );
  });

  it('PORT=1.5: a whole number', () => {
    assert.equal(onlyProblem({ PORT: '1.5' }), 'PORT: må være et helt tall');
  });

  it('PORT=70000: the largest allowed', () => {
    assert.equal(onlyProblem({ PORT: '70000' }), 'PORT: kan være høyst 65535');
  });

  it('JOB_CONCURRENCY=0: the smallest allowed', () => {
    assert.equal(onlyProblem({ JOB_CONCURRENCY: '0' }), 'JOB_CONCURRENCY: må være minst 1');
  });

  it('HOST= : may not be empty', () => {
    assert.equal(onlyProblem({ HOST: '' }), 'HOST: kan ikke være tom');
  });

  it('SECRET too short: its minimum length in characters', () => {
    assert.equal(onlyProblem({ SECRET: 'kort' }), 'SECRET: må være minst 32 tegn');
  });

  it('KRR_URL not a URL: an absolute URL, with an example', () => {
    assert.equal(
      onlyProblem({ KRR_URL: 'krr.local' }),
      'KRR_URL: må være en absolutt URL, f.eks. https://post.kommune.no',
    );
  });

  it('PUBLIC_URL, SMS_URL, KRR_URL with no http(s) scheme: refused, as the links and calls would lead nowhere', () => {
    for (const [key, value] of [
      ['PUBLIC_URL', 'localhost:18080'],
      ['PUBLIC_URL', 'javascript:alert(1)'],
      ['SMS_URL', 'localhost:18090/sms'],
      ['KRR_URL', 'krr.internal:8443/rest/v1/personer'],
      ['KRR_URL', 'ftp://krr.internal/'],
    ] as const) {
      assert.equal(onlyProblem({ [key]: value }), `${key}: må være en absolutt URL, f.eks. https://post.kommune.no`);
    }
  });

  it('a node on every interface whose PUBLIC_URL is this machine itself (the image without PUBLIC_URL): a warning', () => {
    const warning = (env: Record<string, string>): string | undefined =>
      publicUrlWarning(loadSettingsWithWarnings([], env).settings);
    assert.match(
      warning({ HOST: '0.0.0.0', PORT: '8080' }) ?? '',
      /^PUBLIC_URL \(http:\/\/127\.0\.0\.1:8080\) peker på maskinen selv/,
    );
    assert.match(warning({ HOST: '::', PUBLIC_URL: 'http://localhost:8080' }) ?? '', /Sett PUBLIC_URL/);
    assert.equal(warning({ HOST: '0.0.0.0', PUBLIC_URL: 'https://post.kommune.no' }), undefined);
    assert.equal(
      warning({}),
      undefined,
      'the default listens on the loopback only: links that work from here are right',
    );
  });

  it('RETENTION shorter than the print deadline and the print: a warning with the least it should be', () => {
    const why = 'dokumentene til et ulest brev slettes før fristen for print er ute, og brevet kan ikke skrives ut';
    const warning = (env: Record<string, string>): string | undefined =>
      retentionWarning(loadSettingsWithWarnings([], env).settings);
    assert.equal(warning({ RETENTION: 'PT3M' }), `RETENTION (PT3M) er kortere enn 14 dager (P14D): ${why}`);
    assert.equal(warning({ RETENTION: 'P13D' }), `RETENTION (P13D) er kortere enn 14 dager (P14D): ${why}`);
    assert.equal(
      warning({ RETENTION: 'P20D', PRINT_FALLBACK_AFTER: 'P14D' }),
      `RETENTION (P20D) er kortere enn 21 dager (P21D): ${why}`,
    );
    assert.equal(warning({ RETENTION: 'P14D' }), undefined);
    assert.equal(warning({}), undefined, 'the default, P3M');
  });

  it('a token issuer’s keys without its name, or its name without keys: refused, naming the other', () => {
    assert.equal(
      onlyProblem({ MASKINPORTEN_JWKS: '/etc/budbringer/maskinporten.json' }),
      'MASKINPORTEN_ISSUER: må settes sammen med MASKINPORTEN_JWKS (utstederen tokenene sjekkes mot, f.eks. https://maskinporten.no/)',
    );
    assert.equal(
      onlyProblem({ FIKSPORTEN_JWKS: '/etc/budbringer/fiksporten.json' }),
      'FIKSPORTEN_ISSUER: må settes sammen med FIKSPORTEN_JWKS (utstederen tokenene sjekkes mot)',
    );
    assert.equal(
      onlyProblem({ FIKSPORTEN_ISSUER: 'https://fiksporten/' }),
      'FIKSPORTEN_JWKS: må settes sammen med FIKSPORTEN_ISSUER (nøklene tokenene sjekkes mot, en fil eller https://-URL)',
    );
  });

  it('LOG_LEVEL unknown: the allowed values', () => {
    assert.equal(
      onlyProblem({ LOG_LEVEL: 'loud' }),
      'LOG_LEVEL: må være en av fatal, error, warn, info, debug, trace, silent',
    );
  });

  it('METRICS=yes: the allowed values', () => {
    assert.equal(onlyProblem({ METRICS: 'yes' }), 'METRICS: må være true, false, 1 eller 0');
  });

  it('MOTTAKERSYSTEMER as an object: must be a JSON list', () => {
    assert.equal(onlyProblem({ MOTTAKERSYSTEMER: '{}' }), 'MOTTAKERSYSTEMER: må være en JSON-liste');
  });

  it('a receiver system with a wrong orgnr, level and a missing field: each named by its path', () => {
    try {
      loadSettingsWithWarnings([], {
        MOTTAKERSYSTEMER: JSON.stringify([{ orgnr: '123', mottakersystem: 'Arkiv', niva: 2 }]),
      });
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof SettingsError);
      assert.deepEqual([...error.problems].sort(), [
        'MOTTAKERSYSTEMER.0.mottakerId: mangler',
        'MOTTAKERSYSTEMER.0.niva: må være 3 eller 4',
        'MOTTAKERSYSTEMER.0.orgnr: må være 9 siffer',
      ]);
    }
  });

  it('a missing CONFIG_FILE: the file, the variable that named it, "finnes ikke"', () => {
    const path = join(dir, 'mangler.json');
    assert.equal(onlyProblem({}, [{ path, namedBy: 'CONFIG_FILE' }]), `${path} (CONFIG_FILE): filen finnes ikke`);
  });

  it('CONFIG_FILE pointing at a directory', async () => {
    const path = join(dir, 'en-mappe');
    await mkdir(path);
    assert.equal(
      onlyProblem({}, [{ path, namedBy: 'CONFIG_FILE' }]),
      `${path} (CONFIG_FILE): er en mappe, ikke en fil`,
    );
  });

  it('a settings file that is not JSON: says so in Norwegian', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "PORT": ');
    assert.match(
      onlyProblem({}, [path]),
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: er ikke gyldig JSON \\(`),
    );
  });

  it('an unknown key in a settings file is an error with the setting it was probably meant as', async () => {
    const path = join(dir, 'typo.json');
    await writeFile(path, JSON.stringify({ SMTP_ULR: 'smtp://x' }));
    assert.equal(onlyProblem({}, [path]), 'SMTP_ULR: ukjent innstilling; mente du SMTP_URL?');
  });

  it('an unknown BUDBRINGER_* variable is an error (our namespace); Kubernetes service links are not', () => {
    assert.equal(
      onlyProblem({ BUDBRINGER_ROLE: 'web' }),
      'BUDBRINGER_ROLE: ukjent innstilling; mente du BUDBRINGER_ROLES?',
    );
    const k8s = {
      BUDBRINGER_PORT: 'tcp://10.0.0.7:8080',
      BUDBRINGER_SERVICE_HOST: '10.0.0.7',
      BUDBRINGER_PORT_8080_TCP_ADDR: '10.0.0.7',
    };
    assert.deepEqual(warnings(k8s), []);
  });

  it('SMTP_ULR in the environment: a warning naming SMTP_URL, and the node still starts', () => {
    const loaded = loadSettingsWithWarnings([], { SMTP_ULR: 'smtp://x' });
    assert.equal(loaded.settings.SMTP_URL, undefined);
    assert.deepEqual(loaded.warnings, ['SMTP_ULR: ukjent innstilling, blir ikke brukt; mente du SMTP_URL?']);
  });

  it('a transposed short name (PROT) and a lower-case one (smtp_url): warned about', () => {
    assert.deepEqual(warnings({ PROT: '8081', smtp_url: 'smtp://x' }), [
      'PROT: ukjent innstilling, blir ikke brukt; mente du PORT?',
      'smtp_url: ukjent innstilling, blir ikke brukt; mente du SMTP_URL?',
    ]);
  });

  it('a variable of one of our families (REDIS_PASSWORD, KRR_ENDPOINT): warned about, naming the family', () => {
    assert.deepEqual(warnings({ REDIS_PASSWORD: 'x', KRR_ENDPOINT: 'https://krr' }), [
      'KRR_ENDPOINT: ukjent innstilling, blir ikke brukt; mente du en av KRR_FILE, KRR_TOKEN, KRR_URL?',
      'REDIS_PASSWORD: ukjent innstilling, blir ikke brukt; mente du REDIS_URL?',
    ]);
  });

  it('the usual environment of a shell, container or CI runner: no warnings', () => {
    const usual = {
      HOME: '/root',
      HOSTNAME: 'web-1',
      PATH: '/usr/bin',
      PWD: '/app',
      OLDPWD: '/',
      SHELL: '/bin/sh',
      USER: 'node',
      LOGNAME: 'node',
      LANG: 'nb_NO.UTF-8',
      TERM: 'xterm',
      TZ: 'Europe/Oslo',
      TMPDIR: '/tmp',
      SHLVL: '1',
      NODE_ENV: 'production',
      NODE_VERSION: '24.11.0',
      YARN_VERSION: '1.22',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      DEBIAN_FRONTEND: 'noninteractive',
      HTTP_PROXY: 'http://p:3128',
      NO_PROXY: 'localhost',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_PORT: 'tcp://10.0.0.1:443',
      REDIS_SERVICE_HOST: '10.0.0.9',
      REDIS_PORT: 'tcp://10.0.0.9:6379',
      REDIS_PORT_6379_TCP_ADDR: '10.0.0.9',
      CONFIG_FILE: '/etc/budbringer.json',
      COLORTERM: 'truecolor',
    };
    assert.deepEqual(warnings(usual), []);
  });
});
