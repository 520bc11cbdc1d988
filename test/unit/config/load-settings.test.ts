import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSettings, SettingsError } from '../../../src/config/load-settings.js';

const DEFAULT_JSON = join(import.meta.dirname, '..', '..', '..', 'config', 'default.json');

/** The problems loadSettings reports, or a failure if it accepts. */
function problemsOf(files: readonly string[], env: Record<string, string | undefined>): readonly string[] {
  try {
    loadSettings(files, env);
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected SettingsError, got ${String(error)}`);
    assert.match(error.message, /^Ugyldig konfigurasjon:\n/);
    for (const p of error.problems) assert.ok(error.message.includes(`  - ${p}`), `message lists ${p}`);
    return error.problems;
  }
  assert.fail('loadSettings accepted the settings');
}

describe('loadSettings', () => {
  let dir: string;
  const file = async (name: string, content: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  it('defaults: port 8080 on 127.0.0.1, ./data, PUBLIC_URL derived, web and worker', () => {
    const s = loadSettings([], {});
    assert.equal(s.PORT, 8080);
    assert.equal(s.HOST, '127.0.0.1');
    assert.equal(s.DATA_DIR, './data');
    assert.equal(s.PUBLIC_URL, 'http://127.0.0.1:8080');
    assert.deepEqual(s.BUDBRINGER_ROLES, ['web', 'worker']);
    assert.equal(s.RETENTION, 'P3M');
    assert.equal(s.MONGODB_URI, undefined);
    assert.deepEqual(s.MOTTAKERSYSTEMER, []);
  });

  it('config/default.json gives the same defaults plus the forsendelse types', () => {
    const s = loadSettings([DEFAULT_JSON], {});
    assert.equal(s.PORT, 8080);
    assert.equal(s.DATA_DIR, './data');
    assert.ok(s.FORSENDELSE_TYPER.includes('Byggesøknad'));
  });

  it('the environment overrides files; later files override earlier ones', async () => {
    const first = await file('first.json', JSON.stringify({ PORT: 9000, HOST: '10.0.0.1', DATA_DIR: '/srv/a' }));
    const second = await file('second.json', JSON.stringify({ DATA_DIR: '/srv/b' }));
    const s = loadSettings([first, second], {
      PORT: '9100',
      LOG_LEVEL: 'debug',
      METRICS: 'false',
      BUDBRINGER_ROLES: 'worker',
    });
    assert.equal(s.PORT, 9100);
    assert.equal(s.HOST, '10.0.0.1');
    assert.equal(s.DATA_DIR, '/srv/b');
    assert.equal(s.LOG_LEVEL, 'debug');
    assert.equal(s.METRICS, false);
    assert.deepEqual(s.BUDBRINGER_ROLES, ['worker']);
    assert.equal(s.PUBLIC_URL, 'http://10.0.0.1:9100');
  });

  it('PUBLIC_URL: given wins (without trailing slash); a wildcard HOST derives a loopback URL', () => {
    assert.equal(loadSettings([], { PUBLIC_URL: 'https://post.kommune.no/' }).PUBLIC_URL, 'https://post.kommune.no');
    assert.equal(loadSettings([], { HOST: '0.0.0.0', PORT: '80' }).PUBLIC_URL, 'http://127.0.0.1:80');
  });

  it('list settings come from JSON in the environment', () => {
    const systems = [{ orgnr: '974760673', mottakersystem: 'Arkiv', mottakerId: 'm-1', niva: 4 }];
    const s = loadSettings([], { MOTTAKERSYSTEMER: JSON.stringify(systems), FORSENDELSE_TYPER: '["a.b"]' });
    assert.deepEqual(s.MOTTAKERSYSTEMER, systems);
    assert.deepEqual(s.FORSENDELSE_TYPER, ['a.b']);
  });

  it('ignores environment variables that are not settings (PATH, HOME …)', () => {
    assert.equal(loadSettings([], { PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' }).PORT, 8080);
  });

  it('an unknown key in a JSON file is an error naming it', async () => {
    const typo = await file('typo.json', JSON.stringify({ PROT: 8081 }));
    assert.deepEqual(problemsOf([typo], {}), ['PROT: ukjent innstilling; mente du PORT?']);
  });

  it('an unknown BUDBRINGER_* environment variable is an error naming it', () => {
    assert.deepEqual(problemsOf([], { BUDBRINGER_ROLE: 'web' }), [
      'BUDBRINGER_ROLE: ukjent innstilling; mente du BUDBRINGER_ROLES?',
    ]);
  });

  it('a file that is not JSON, or not an object, is an error naming the file', async () => {
    const broken = await file('broken.json', '{ "PORT": ');
    const list = await file('list.json', '[1, 2]');
    const problems = problemsOf([broken, list, join(dir, 'missing.json')], {});
    assert.equal(problems.length, 3);
    assert.ok(problems[0]?.startsWith(`${broken}: `));
    assert.equal(problems[1], `${list}: må være et JSON-objekt`);
    assert.ok(problems[2]?.startsWith(`${join(dir, 'missing.json')}: `));
  });

  it('refuses SMTP_URL, REDIS_URL and MONGODB_URI without their scheme (a client library read them as a host name)', () => {
    assert.deepEqual(problemsOf([], { SMTP_URL: 'notaurl', REDIS_URL: 'localhost:6379', MONGODB_URI: 'db.local' }), [
      'MONGODB_URI: må være en URL som begynner med mongodb:// eller mongodb+srv://',
      'REDIS_URL: må være en URL som begynner med redis:// eller rediss://',
      'SMTP_URL: må være en URL som begynner med smtp:// eller smtps://',
    ]);
    const ok = loadSettings([], {
      SMTP_URL: 'smtps://bruker:passord@smtp.example.no:465',
      REDIS_URL: 'rediss://:hemmelig@redis.example.no:6380/2',
      MONGODB_URI: 'mongodb://a.example.no:27017,b.example.no:27017/?replicaSet=rs0',
    });
    assert.equal(ok.MONGODB_URI, 'mongodb://a.example.no:27017,b.example.no:27017/?replicaSet=rs0');
    assert.match(
      problemsOf([], { MONGODB_URI: 'mongodb://db:27017' })[0] ?? '',
      /^MONGODB_URI: klyngemodus trenger også REDIS_URL/,
    );
  });

  it('refuses a REMINDER_BEFORE that is not shorter than the print deadline', () => {
    assert.deepEqual(problemsOf([], { REMINDER_BEFORE: 'P2D' }), [
      'REMINDER_BEFORE: må være kortere enn fristen for print, to virkedager; ellers sendes påminnelsen sammen med varselet (fikk P2D)',
    ]);
    assert.match(
      problemsOf([], { REMINDER_BEFORE: 'PT10M', PRINT_FALLBACK_AFTER: 'PT5M' })[0] ?? '',
      /PRINT_FALLBACK_AFTER \(PT5M\)/,
    );
    assert.equal(loadSettings([], { REMINDER_BEFORE: 'P1D' }).REMINDER_BEFORE, 'P1D');
    assert.equal(loadSettings([], { REMINDER_BEFORE: 'PT4S', PRINT_FALLBACK_AFTER: 'PT8S' }).REMINDER_BEFORE, 'PT4S');
  });

  it('lists every bad value in one SettingsError', async () => {
    const typo = await file('typo2.json', JSON.stringify({ DATADIR: '/x' }));
    const problems = problemsOf([typo], {
      PORT: 'åtti',
      LOG_LEVEL: 'loud',
      RETENTION: '3 måneder',
      KRR_URL: 'not a url',
      BUDBRINGER_ROLES: 'web,printer',
      JOB_CONCURRENCY: '0',
      MOTTAKERSYSTEMER: '[{',
      BUDBRINGER_COLOUR: 'blue',
    });
    const keys = problems.map((p) => p.split(':')[0]);
    for (const key of [
      'DATADIR',
      'PORT',
      'LOG_LEVEL',
      'RETENTION',
      'KRR_URL',
      'BUDBRINGER_ROLES',
      'JOB_CONCURRENCY',
      'MOTTAKERSYSTEMER',
      'BUDBRINGER_COLOUR',
    ]) {
      assert.ok(
        keys.some((k) => k?.startsWith(key)),
        `${key} is listed in:\n${problems.join('\n')}`,
      );
    }
    assert.ok(problems.includes('RETENTION: må være en ISO-8601-varighet, f.eks. P3M eller PT2M'));
    assert.ok(problems.includes('MOTTAKERSYSTEMER: må være JSON'));
  });

  it('a duration setting that is negative or zero is refused, naming the setting', () => {
    for (const key of [
      'PRINT_FALLBACK_AFTER',
      'REMINDER_BEFORE',
      'RETENTION',
      'SVARINN_WARN_AFTER',
      'INBOX_LINK_TTL',
    ]) {
      for (const bad of ['-PT1M', '-P1D', 'PT0S', 'P0D']) {
        assert.deepEqual(
          problemsOf([], { [key]: bad }).filter((p) => p.startsWith(key)),
          [`${key}: må være en positiv ISO-8601-varighet, f.eks. P3M eller PT2M`],
          `${key}=${bad}`,
        );
      }
    }
    assert.equal(loadSettings([], { INBOX_LINK_TTL: 'PT0.5S' }).INBOX_LINK_TTL, 'PT0.5S');
  });

  it('JOB_LEASE_MS: 8 s by default (BullMQ lease); a lease under a second is refused', () => {
    assert.equal(loadSettings([], {}).JOB_LEASE_MS, 8_000);
    assert.equal(loadSettings([], { JOB_LEASE_MS: '10000' }).JOB_LEASE_MS, 10_000);
    assert.ok(problemsOf([], { JOB_LEASE_MS: '500' }).some((p) => p.startsWith('JOB_LEASE_MS')));
  });

  it('TRUSTED_PROXIES: addresses and CIDR ranges, a wrong entry named in Norwegian', () => {
    assert.deepEqual(loadSettings([], { TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ,fd00::/8' }).TRUSTED_PROXIES, [
      '10.0.0.0/8',
      '127.0.0.1',
      'fd00::/8',
    ]);
    assert.deepEqual(loadSettings([], {}).TRUSTED_PROXIES, []);
    for (const bad of ['nginx', '10.0.0.0/33', '10.0.0.1/8/1']) {
      const problems = problemsOf([], { TRUSTED_PROXIES: bad });
      assert.ok(
        problems.some((p) => p.startsWith('TRUSTED_PROXIES') && p.includes('CIDR')),
        `${bad}: ${problems.join('\n')}`,
      );
    }
  });

  it('checks the shape of each receiver system', () => {
    const bad = [{ orgnr: '12345', mottakersystem: 'Arkiv', mottakerId: 'm', niva: 2 }];
    const problems = problemsOf([], { MOTTAKERSYSTEMER: JSON.stringify(bad) });
    assert.ok(
      problems.some((p) => p.startsWith('MOTTAKERSYSTEMER.0.orgnr')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('MOTTAKERSYSTEMER.0.niva')),
      problems.join('\n'),
    );
  });

  // z.coerce.number() read '' as 0, so `PORT=` (an empty variable, as compose files and
  // systemd units often leave) silently bound a random port. Now it is a settings error.
  it('an empty PORT is the default or an error, never port 0', () => {
    let port: number | undefined;
    try {
      port = loadSettings([], { PORT: '' }).PORT;
    } catch (error) {
      assert.ok(error instanceof SettingsError);
      assert.ok(
        error.problems.some((p) => p.startsWith('PORT: ') && p.includes('tom verdi')),
        error.problems.join('\n'),
      );
      return;
    }
    assert.equal(port, 8080);
  });

  it('a blank number setting is refused, not read as 0', () => {
    assert.throws(
      () => loadSettings([], { JOB_CONCURRENCY: ' ' }),
      (e: unknown) => e instanceof SettingsError && e.problems.some((p) => p.startsWith('JOB_CONCURRENCY: ')),
    );
    assert.equal(loadSettings([], { PORT: '0' }).PORT, 0, 'an explicit 0 still means "any free port"');
    assert.equal(loadSettings([], {}).PORT, 8080);
  });
});
