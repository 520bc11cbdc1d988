#!/usr/bin/env node
// Starts the emulated MongoDB (test/support/emulated-mongo.ts) on 127.0.0.1 and keeps it
// running until killed: `.ci/run` starts it and points MONGODB_URI at it, so `npm test`
// runs the MongoDB contract suites where no MongoDB can be installed (docs/cluster.md).
//   node --import tsx scripts/emulated-mongo.mjs [--port 37017]
// Prints the connection string on stdout once it accepts connections.
import { startEmulatedMongo } from '../test/support/emulated-mongo.ts';

const at = process.argv.indexOf('--port');
const port = at >= 0 ? Number(process.argv[at + 1]) : 37017;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Ugyldig port: ${process.argv[at + 1]}`);
  process.exit(2);
}
const mongo = await startEmulatedMongo(port);
console.log(mongo.uri);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void mongo.stop().finally(() => process.exit(0)));
}
