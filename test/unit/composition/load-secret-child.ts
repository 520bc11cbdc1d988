/**
 * Child of load-secret.test.ts: waits for the start time in argv[3] (so the children
 * race), loads the secret of DATA_DIR argv[2] and prints it base64.
 */
import { loadSecret } from '../../../src/composition/channels.js';
import { loadSettings } from '../../../src/config/load-settings.js';

const [dataDir, startAt] = process.argv.slice(2);
const settings = loadSettings([], { DATA_DIR: dataDir });
while (Date.now() < Number(startAt)) {
  // Busy-wait: a timer would let the children drift apart by a scheduler tick.
}
process.stdout.write(Buffer.from(loadSecret(settings)).toString('base64'));
