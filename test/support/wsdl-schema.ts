/**
 * Validates SOAP response bodies against the XML Schema embedded in a served WSDL, with
 * libxml2's `xmllint --schema` (Debian package libxml2-utils): the wrapper element of the
 * Body is cut out and checked against the WSDL's `<xs:schema>` as a standalone schema.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A schema taken from a WSDL, on disk while in use. */
export class WsdlSchema {
  private readonly dir = mkdtempSync(join(tmpdir(), 'wsdl-schema-'));
  private readonly xsd = join(this.dir, 'schema.xsd');
  private count = 0;

  constructor(wsdl: string) {
    const schema = /<xs:schema[\s\S]*?<\/xs:schema>/.exec(wsdl)?.[0];
    if (schema === undefined) throw new Error('WSDL has no <xs:schema>');
    const open = schema.slice(0, schema.indexOf('>'));
    const tns = /xmlns:tns="([^"]*)"/.exec(wsdl)?.[1] ?? '';
    // V4 declares `tns` on wsdl:definitions only; the standalone schema needs it itself. The
    // xmime import has no schemaLocation and only annotates `data`: left out.
    const standalone = (
      open.includes('xmlns:tns=') ? schema : schema.replace('<xs:schema', `<xs:schema xmlns:tns="${tns}"`)
    ).replace(/<xs:import namespace="http:\/\/www\.w3\.org\/2005\/05\/xmlmime"\s*\/>/, '');
    writeFileSync(this.xsd, standalone);
  }

  /** Validates the Body's first element of a response envelope; returns xmllint's complaint, or undefined when valid. */
  problems(envelope: string): string | undefined {
    const body = /<(?:[\w.-]+:)?Body[^>]*>([\s\S]*)<\/(?:[\w.-]+:)?Body>/.exec(envelope)?.[1];
    if (body === undefined) return `no SOAP Body in ${envelope.slice(0, 200)}`;
    const file = join(this.dir, `body-${++this.count}.xml`);
    writeFileSync(file, body);
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', this.xsd, file], { encoding: 'utf8' });
    if (run.error) throw new Error(`xmllint could not run (install libxml2-utils): ${run.error.message}`);
    return run.status === 0 ? undefined : `${run.stderr}\n${body.slice(0, 2000)}`;
  }

  /** Removes the temp files. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
