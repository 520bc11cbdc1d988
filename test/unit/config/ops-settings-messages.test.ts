/** The configuration messages of the operators' settings added for #18: SECRET_PREVIOUS and METRICS_REQUIRE_TOKEN. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettingsWithWarnings, SettingsError } from '../../../src/config/load-settings.js';
import { previousSecrets } from '../../../src/composition/channels.js';

/** The problems loadSettings reports for `env`. */
function problems(env: Record<string, string>): readonly string[] {
  try {
    loadSettingsWithWarnings([], env);
  } catch (error) {
    assert.ok(error instanceof SettingsError, String(error));
    return error.problems;
  }
  assert.fail('accepted');
}

describe('operators’ settings messages', () => {
  it('SECRET_PREVIOUS with a short secret: names the entry and the minimum', () => {
    const long = 'x'.repeat(40);
    assert.deepEqual(problems({ SECRET_PREVIOUS: `${long},kort` }), [
      'SECRET_PREVIOUS.1: hver tidligere hemmelighet må ha minst 32 tegn',
    ]);
  });

  it('SECRET_PREVIOUS: comma separated, blanks ignored, base64: entries decoded', () => {
    const fileKey = Buffer.alloc(32, 7).toString('base64');
    const settings = loadSettingsWithWarnings([], {
      SECRET_PREVIOUS: ` ${'a'.repeat(32)} ,, base64:${fileKey}`,
    }).settings;
    const secrets = previousSecrets(settings);
    assert.equal(secrets.length, 2);
    assert.equal(Buffer.from(secrets[0] ?? []).toString('utf8'), 'a'.repeat(32));
    assert.deepEqual(Buffer.from(secrets[1] ?? []), Buffer.alloc(32, 7));
  });

  it('METRICS_REQUIRE_TOKEN=ja: the values a switch takes', () => {
    assert.deepEqual(problems({ METRICS_REQUIRE_TOKEN: 'ja' }), [
      'METRICS_REQUIRE_TOKEN: må være true, false, 1 eller 0',
    ]);
  });

  it('METRICS_TOKEN too short: the minimum length', () => {
    assert.deepEqual(problems({ METRICS_REQUIRE_TOKEN: 'true', METRICS_TOKEN: 'kort' }), [
      'METRICS_TOKEN: må være minst 16 tegn',
    ]);
  });
});
