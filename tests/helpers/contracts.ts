/**
 * The published contracts — content/facts.schema.json and content/openapi.json, the files a
 * researcher or a script author downloads — compiled with a standard validator (ajv, JSON Schema
 * 2020-12, with ajv-formats for date-time), as their own tools would read them. The shared helpers
 * that read exports (facts-contract.ts) and call the API (checkApiAnswer) run what they read through
 * these, so every export and every API answer in the suite is checked against the published files.
 */
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// CommonJS packages: under Node's ESM loader the class / plugin may sit on `.default`.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module) as typeof Ajv2020Module;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const CONTENT = new URL('../../content/', import.meta.url);
export const FACTS_SCHEMA_PATH = new URL('facts.schema.json', CONTENT);
export const OPENAPI_PATH = new URL('openapi.json', CONTENT);

export const factsSchemaDoc = JSON.parse(readFileSync(FACTS_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
export const openApiDoc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApi;

/** The parts of an OpenAPI response object the helpers read. */
export interface Response3 {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: { $ref?: string; properties?: { error?: { properties: { code: { enum: string[] } } } } } }>;
}
interface OpenApi {
  paths: Record<string, { get?: { responses: Record<string, Response3> } }>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Response3> };
}

/** Strict ajv: a schema it cannot fully understand is an error here, not a silent pass. */
export function newAjv() {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // OpenAPI's own top-level fields, so the whole document can be added and its parts referenced.
  ajv.addVocabulary(['openapi', 'jsonSchemaDialect', 'info', 'servers', 'paths', 'components']);
  return ajv;
}

const ajv = newAjv();
ajv.addSchema(factsSchemaDoc, 'facts.schema.json');
ajv.addSchema(openApiDoc, 'openapi.json');

const compiled = new Map<string, ValidateFunction>();
function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = ajv.getSchema(ref);
    if (!v) throw new Error(`no schema at ${ref}`);
    compiled.set(ref, v);
  }
  return v;
}

/** Null when `data` is valid against the schema at `ref`, else ajv's errors as one readable line. */
export function contractErrors(ref: string, data: unknown): string | null {
  const v = validator(ref);
  return v(data) ? null : ajv.errorsText(v.errors, { separator: '; ' });
}

function mustPass(ref: string, data: unknown, what: string): void {
  const errors = contractErrors(ref, data);
  if (errors) throw new Error(`${what} does not match ${ref}: ${errors}`);
}

/** facts.json, one NDJSON line, a company file: against the published facts.schema.json. */
export const FACTS_EXPORT_REF = 'facts.schema.json';
export const FACT_REF = 'facts.schema.json#/$defs/Fact';
export const COMPANY_EXPORT_REF = 'facts.schema.json#/$defs/CompanyExport';

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Where openapi.json describes the answer to `method` `pathname` with `status` (its response object's pointer). */
export function documentedResponse(method: string, pathname: string, status: number): { ref: string; response: Response3 } {
  let ref: string;
  const item = openApiDoc.paths[pathname];
  if (method !== 'GET' && method !== 'HEAD') ref = 'components/responses/MethodNotAllowed';
  else if (!item?.get) ref = 'components/responses/NotFound';
  else ref = `paths/${pointer(pathname, 'get', 'responses', String(status))}`;
  let response = ref.split('/').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k.replaceAll('~1', '/').replaceAll('~0', '~')], openApiDoc) as Response3 | undefined;
  if (response?.$ref) {
    ref = response.$ref.slice(2);
    response = ref.split('/').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], openApiDoc) as Response3;
  }
  if (!response) throw new Error(`openapi.json documents no ${status} answer to ${method} ${pathname}`);
  if (ref.startsWith('components/responses/')) {
    const expected = ref.endsWith('/NotFound') ? 404 : ref.endsWith('/MethodNotAllowed') ? 405 : status;
    if (expected !== status) throw new Error(`${method} ${pathname} answered ${status}; openapi.json says ${expected} (${ref})`);
  }
  return { ref, response };
}

/**
 * Checks one API answer against openapi.json: its status is documented for the method and path, the
 * headers the description names are sent, the type is JSON, and the body validates (HEAD: no body).
 * Returns the parsed body (undefined for HEAD). Reads a clone, so the caller can still read `r`.
 */
export async function checkApiAnswer(method: string, url: string | URL, r: Response): Promise<unknown> {
  const { pathname } = new URL(url, 'http://factdesk.test');
  const m = method.toUpperCase();
  const { ref, response } = documentedResponse(m, pathname, r.status);
  const where = `${m} ${pathname} → ${r.status}`;
  for (const h of Object.keys(response.headers ?? {})) {
    if (h !== 'Cache-Control' && !r.headers.has(h)) throw new Error(`${where}: no ${h} header, which openapi.json promises`);
  }
  const type = r.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) throw new Error(`${where}: content-type ${type}, not JSON`);
  const text = await r.clone().text();
  if (m === 'HEAD') {
    if (text !== '') throw new Error(`${where}: HEAD answered with a body`);
    return undefined;
  }
  const body: unknown = JSON.parse(text);
  mustPass(`openapi.json#/${ref}/content/application~1json/schema`, body, where);
  return body;
}

/** The same for a Request a test hands to a handler directly (no server in between). */
export async function checkedAnswer(request: Request, r: Response): Promise<Response> {
  await checkApiAnswer(request.method, request.url, r);
  return r;
}

export function checkFactsExport(doc: unknown): void {
  mustPass(FACTS_EXPORT_REF, doc, 'the facts export');
}
export function checkFact(fact: unknown): void {
  mustPass(FACT_REF, fact, 'the fact');
}
export function checkCompanyExport(doc: unknown): void {
  mustPass(COMPANY_EXPORT_REF, doc, 'the company export');
}
