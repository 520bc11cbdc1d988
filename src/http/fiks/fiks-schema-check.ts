/**
 * The `forsendelse` part of a REST v2/v3 send checked against KS's OpenAPI schema for it
 * (src/http/openapi/ks/forsendelse-send-api-v2.json `Forsendelse`, -v3.json
 * `PersonForsendelse`, `OrganisasjonForsendelse`, `PrintForsendelse`): what KS's service
 * refuses by its schema (a missing digitalId, more than 5 lenker, a landkode that is no
 * ISO code, a svarPaForsendelseId that is no UUID, …) is refused here too, each problem
 * named by its JSON path with a Norwegian reason. The JSON readers stay lenient where
 * KS's (Jackson) is: a value of another JSON type that converts ("true", 12 for a text)
 * and unknown fields are taken, and null is the same as absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem } from '../../domain/errors.js';

/** The schema a send's `forsendelse` part is checked against. */
export type FiksSendSchema = 'v2' | 'person' | 'organisasjon' | 'print';

const SCHEMAS: Readonly<Record<FiksSendSchema, readonly [file: string, schema: string]>> = {
  v2: ['forsendelse-send-api-v2.json', 'Forsendelse'],
  person: ['forsendelse-send-api-v3.json', 'PersonForsendelse'],
  organisasjon: ['forsendelse-send-api-v3.json', 'OrganisasjonForsendelse'],
  print: ['forsendelse-send-api-v3.json', 'PrintForsendelse'],
};

/** Keywords left to the lenient readers (type conversion) or without meaning for a request. */
const LENIENT = new Set(['type', 'additionalProperties']);

let validators: Map<FiksSendSchema, ValidateFunction> | undefined;
const specs = new Map<string, { components: { schemas: Record<string, SchemaObject> } }>();

interface SchemaObject {
  readonly $ref?: string;
  readonly properties?: Record<string, SchemaObject>;
  readonly items?: SchemaObject;
}

function specOf(file: string): { components: { schemas: Record<string, SchemaObject> } } {
  let spec = specs.get(file);
  if (spec === undefined) {
    spec = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'openapi', 'ks', file), 'utf8')) as {
      components: { schemas: Record<string, SchemaObject> };
    };
    specs.set(file, spec);
  }
  return spec;
}

/**
 * `json` with only the fields `schema` names, at every level (the letter, its documents, its
 * print settings, its addresses): KS's service (Spring, Jackson) ignores the others, so a
 * field of another kind's schema (a person letter's `metadataFraAvleverendeSystem`,
 * `forsendelsestype`, a document's `ekstraMetadata`) or of v2 (`utskriftskonfigurasjon`'s
 * `utskriftMedFarger`, which v3 does not have) is neither kept nor checked (found in
 * reviews: such fields were stored unchecked, and v2's colour print was ordered on v3).
 */
export function withSchemaFieldsOnly(schema: FiksSendSchema, json: unknown): unknown {
  const [file, name] = SCHEMAS[schema];
  const spec = specOf(file);
  return onlySchemaFields(json, spec.components.schemas[name], spec.components.schemas);
}

/** `value` with, in every object `schema` describes by its properties, only those properties. */
function onlySchemaFields(
  value: unknown,
  schema: SchemaObject | undefined,
  components: Record<string, SchemaObject>,
): unknown {
  let s = schema;
  // Local references (`#/components/schemas/X`), followed a bounded number of times.
  for (let i = 0; i < 8 && s?.$ref !== undefined; i++) s = components[s.$ref.split('/').pop() ?? ''];
  if (s === undefined) return value;
  if (Array.isArray(value))
    return s.items === undefined ? value : value.map((v) => onlySchemaFields(v, s.items, components));
  const properties = s.properties;
  if (value === null || typeof value !== 'object' || properties === undefined) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => Object.hasOwn(properties, k))
      .map(([k, v]) => [k, onlySchemaFields(v, properties[k], components)]),
  );
}

/** Compiled once, on the first send. */
function validatorFor(schema: FiksSendSchema): ValidateFunction {
  if (validators === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (instance: Ajv) => void)(ajv);
    for (const file of new Set(Object.values(SCHEMAS).map(([f]) => f))) ajv.addSchema({ ...specOf(file), $id: file });
    validators = new Map(
      (Object.entries(SCHEMAS) as [FiksSendSchema, readonly [string, string]][]).map(([name, [file, def]]) => [
        name,
        ajv.compile({ $ref: `${file}#/components/schemas/${def}` }),
      ]),
    );
  }
  return validators.get(schema) as ValidateFunction;
}

/** `json` without null values (null is absent to the readers, so to the schema too). */
function withoutNulls(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(withoutNulls);
  if (json === null || typeof json !== 'object') return json;
  return Object.fromEntries(
    Object.entries(json as Record<string, unknown>)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** `/lenker/0/url` → `lenker[0].url`. */
function fieldOf(instancePath: string, child?: string): string {
  const segments = [...instancePath.split('/').slice(1), ...(child === undefined ? [] : [child])];
  return segments
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === '' ? s : `${path}.${s}`), '');
}

const FORMATS: Readonly<Record<string, string>> = {
  uuid: 'en UUID',
  'date-time': 'dato og tid (ISO 8601) som 2026-12-05T10:15:00+01:00',
  date: 'en dato (ÅÅÅÅ-MM-DD)',
};

/** One schema error as a field problem, or undefined for what the readers decide. */
function problemOf(e: ErrorObject, value: (path: string) => unknown): FieldProblem | undefined {
  if (LENIENT.has(e.keyword)) return undefined;
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    const field = fieldOf(e.instancePath, String(p.missingProperty));
    return { field, message: `Mangler ${field}: ${field} må fylles ut` };
  }
  const field = fieldOf(e.instancePath) || 'forsendelse';
  const v = value(e.instancePath);
  const shown = typeof v === 'string' ? ` (fikk «${v.length > 60 ? `${v.slice(0, 60)}…` : v}»)` : '';
  switch (e.keyword) {
    case 'maxLength':
      return { field, message: `For lang tekst: ${field} kan ha høyst ${p.limit} tegn (har ${String(v).length})` };
    case 'minLength':
      return { field, message: `For kort tekst: ${field} må ha minst ${p.limit} tegn` };
    case 'maxItems':
      return { field, message: `For mange elementer: ${field} kan ha høyst ${p.limit}` };
    case 'minItems':
      return { field, message: `For få elementer: ${field} må ha minst ${p.limit}` };
    case 'uniqueItems':
      return { field, message: `Like elementer: ${field} kan ikke ha samme verdi to ganger` };
    case 'minimum':
    case 'maximum':
      return { field, message: `Ugyldig ${field}: må være ${e.keyword === 'minimum' ? 'minst' : 'høyst'} ${p.limit}` };
    case 'enum':
      return { field, message: `Ugyldig ${field}: må være en av ${(p.allowedValues as unknown[]).join(', ')}${shown}` };
    case 'pattern':
      return { field, message: `Ugyldig ${field}: må samsvare med ${p.pattern}${shown}` };
    case 'format':
      return FORMATS[String(p.format)] === undefined
        ? undefined
        : { field, message: `Ugyldig ${field}: må være ${FORMATS[String(p.format)]}${shown}` };
    default:
      return { field, message: `Ugyldig ${field}: ${e.message ?? 'ugyldig verdi'}` };
  }
}

/** Every problem of `json` (a parsed `forsendelse` part) against `schema`; empty when it conforms. */
export function fiksSchemaProblems(schema: FiksSendSchema, json: unknown): FieldProblem[] {
  const cleaned = withoutNulls(json);
  const validate = validatorFor(schema);
  if (validate(cleaned)) return [];
  const value = (pointer: string): unknown =>
    pointer
      .split('/')
      .slice(1)
      .reduce<unknown>(
        (o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
        cleaned,
      );
  const seen = new Set<string>();
  return (validate.errors ?? []).flatMap((e) => {
    const problem = problemOf(e, value);
    if (problem === undefined || seen.has(`${problem.field}\n${problem.message}`)) return [];
    seen.add(`${problem.field}\n${problem.message}`);
    return [problem];
  });
}
