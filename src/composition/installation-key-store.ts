/**
 * Only the installation's CMS keys, for the CLI (`budbringer key …`): the SQLite file in
 * embedded mode, MongoDB in cluster mode (MONGODB_URI), nothing else a node starts.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InstallationKeys } from '../app/installation-keys.js';
import type { Settings } from '../config/schema.js';
import { generateSelfSignedKey, type PemKeyPair } from '../crypto/self-signed-key.js';
import type { InstallationKeyStore } from '../storage/ports.js';
import { StartError } from './start-error.js';

/** The key service on the configured store, and how to close it. */
export interface OpenInstallationKeys {
  readonly keys: InstallationKeys;
  close(): Promise<void>;
}

/** Opens the installation's keys on the store the settings call for. */
export async function openInstallationKeys(settings: Settings): Promise<OpenInstallationKeys> {
  const service = (store: InstallationKeyStore): InstallationKeys => installationKeys(settings, store, Date.now);
  if (settings.MONGODB_URI !== undefined) {
    const { connectMongo, MongoInstallationKeyStore } = await import('../storage/mongo/index.js');
    const mongo = await connectMongo(settings.MONGODB_URI, settings.MONGODB_DB);
    const store = await MongoInstallationKeyStore.open(mongo.db);
    return { keys: service(store), close: () => mongo.close() };
  }
  const { openSqlite, SqliteInstallationKeyStore } = await import('../storage/sqlite/index.js');
  mkdirSync(settings.DATA_DIR, { recursive: true, mode: 0o700 });
  const db = openSqlite(join(settings.DATA_DIR, 'budbringer.sqlite'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  return {
    keys: service(new SqliteInstallationKeyStore(db)),
    close: async () => void db.close(),
  };
}

/** The key service of a node or command on `store`, with the configured key if there is one. */
export function installationKeys(settings: Settings, store: InstallationKeyStore, now: () => number): InstallationKeys {
  const configured = configuredKey(settings);
  return new InstallationKeys({
    store,
    generate: generateSelfSignedKey,
    commonName: 'Budbringer',
    now,
    ...(configured === undefined ? {} : { configured }),
  });
}

/**
 * The key of CMS_CERT_FILE and CMS_KEY_FILE, checked: both set or neither, an RSA key, and the
 * certificate's public key is the private key's. The certificate is kept as its first PEM block.
 */
export function configuredKey(settings: Pick<Settings, 'CMS_CERT_FILE' | 'CMS_KEY_FILE'>): PemKeyPair | undefined {
  const { CMS_CERT_FILE: certFile, CMS_KEY_FILE: keyFile } = settings;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new StartError('CMS_CERT_FILE og CMS_KEY_FILE må settes sammen (sertifikat og privatnøkkel, PEM)');
  }
  let certificate: X509Certificate;
  let privateKeyPem: string;
  try {
    certificate = new X509Certificate(readFileSync(certFile));
    privateKeyPem = readFileSync(keyFile, 'utf8');
  } catch (error) {
    throw new StartError(`CMS_CERT_FILE/CMS_KEY_FILE kan ikke leses: ${(error as Error).message}`, error);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    // An empty file, a certificate in its place, or a key protected by a passphrase (which a
    // node cannot type) ended the start with OpenSSL's stack trace, naming no setting (review).
    throw new StartError(
      `CMS_KEY_FILE kan ikke leses som privatnøkkel (PEM, PKCS#8 eller PKCS#1, uten passord): ${(error as Error).message}`,
      error,
    );
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new StartError('CMS_KEY_FILE må være en RSA-nøkkel');
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new StartError('CMS_KEY_FILE hører ikke til sertifikatet i CMS_CERT_FILE');
  }
  return { certificatePem: certificate.toString(), privateKeyPem };
}
