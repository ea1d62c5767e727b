// The OpenAPI document is the single source of truth: routes, request schemas and response schemas
// are all read from it at startup rather than copied by hand, so the sandbox cannot drift from it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const SPEC_FILE = join('test', 'fixtures', 'dassault-sales-api4partners-2.0.0.yaml');

/**
 * The spec fixture, found from this file upwards: run from source, compiled into .build/ by
 * `npm run sandbox`, or into .build/bench/ by `npm run bench`.
 */
export const DEFAULT_SPEC_PATH = ((): string => {
	for (let dir = __dirname; ; dir = dirname(dir)) {
		if (existsSync(join(dir, SPEC_FILE))) return join(dir, SPEC_FILE);
		if (dirname(dir) === dir) return resolve(__dirname, '..', SPEC_FILE);
	}
})();

// Base URI under which the document's components are registered, so `#/components/schemas/x`
// inside them resolves, and so we can point at any component from outside.
const SPEC_ID = 'https://sandbox.invalid/api4partners.json';

type JsonObject = Record<string, unknown>;

export interface SpecOperation {
	operationId: string;
	method: string;
	/** As written in the spec, e.g. `/sales/api4partners/v1/leads-opportunities/{id}`. */
	path: string;
	/** Status codes the spec declares for this operation. */
	statuses: number[];
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Makes document-relative refs absolute, so a schema taken out of `paths` still resolves. */
function absolutize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(absolutize);
	if (!isObject(value)) return value;
	const out: JsonObject = {};
	for (const [key, inner] of Object.entries(value)) {
		out[key] =
			key === '$ref' && typeof inner === 'string' && inner.startsWith('#/')
				? SPEC_ID + inner
				: absolutize(inner);
	}
	return out;
}

export class Spec {
	readonly operations: SpecOperation[] = [];
	private readonly ajv: Ajv2020;
	private readonly byId = new Map<string, JsonObject>();
	private readonly compiled = new Map<string, ValidateFunction>();

	constructor(doc: JsonObject) {
		// strict: false because OAS 3.1 puts `example`, `x-enumDescriptions`, `deprecated` and
		// `type` beside `$ref`, which Ajv's strict mode rejects though JSON Schema 2020-12 allows it.
		this.ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats(this.ajv);
		this.ajv.addSchema({ $id: SPEC_ID, components: doc.components });

		const paths = isObject(doc.paths) ? doc.paths : {};
		for (const [path, item] of Object.entries(paths)) {
			if (!isObject(item)) continue;
			for (const [method, op] of Object.entries(item)) {
				if (!isObject(op) || typeof op.operationId !== 'string') continue;
				this.byId.set(op.operationId, op);
				const responses = isObject(op.responses) ? op.responses : {};
				this.operations.push({
					operationId: op.operationId,
					method: method.toUpperCase(),
					path,
					statuses: Object.keys(responses).map(Number),
				});
			}
		}
	}

	private operation(operationId: string): JsonObject {
		const op = this.byId.get(operationId);
		if (!op) throw new Error(`Unknown operationId ${operationId}`);
		return op;
	}

	private compile(key: string, schema: unknown): ValidateFunction {
		let fn = this.compiled.get(key);
		if (!fn) {
			const ref = isObject(schema) && Object.keys(schema).length === 1 ? schema.$ref : undefined;
			// A bare ref to a component goes through getSchema, which resolves it inside the
			// registered document, so the components it uses are compiled once for all validators
			// (compiling a `{ $ref }` wrapper would recompile them every time: ~80 ms each).
			fn =
				typeof ref === 'string' && ref.startsWith('#/')
					? this.ajv.getSchema(SPEC_ID + ref)
					: this.ajv.compile(absolutize(schema) as JsonObject);
			if (!fn) throw new Error(`Cannot resolve ${String(ref)} in the spec`);
			this.compiled.set(key, fn);
		}
		return fn;
	}

	/** Validator of the JSON request body, or undefined when the operation takes none. */
	requestValidator(operationId: string): ValidateFunction | undefined {
		const body = this.operation(operationId).requestBody;
		const schema =
			isObject(body) && isObject(body.content)
				? (body.content['application/json'] as JsonObject)?.schema
				: undefined;
		return schema ? this.compile(`request:${operationId}`, schema) : undefined;
	}

	/** Validator of one query or path parameter's value (already converted from its string form). */
	parameterValidator(operationId: string, name: string): ValidateFunction {
		const params = this.operation(operationId).parameters;
		const param = Array.isArray(params)
			? params.find((p) => isObject(p) && p.name === name)
			: undefined;
		if (!isObject(param)) throw new Error(`${operationId} has no parameter ${name}`);
		return this.compile(`param:${operationId}:${name}`, param.schema);
	}

	/** Validator of the JSON response body for a status, or undefined when the spec declares none. */
	responseValidator(operationId: string, status: number): ValidateFunction | undefined {
		const responses = this.operation(operationId).responses;
		const response = isObject(responses) ? responses[String(status)] : undefined;
		const content =
			isObject(response) && isObject(response.content)
				? response.content['application/json']
				: undefined;
		return isObject(content) && content.schema
			? this.compile(`response:${operationId}:${status}`, content.schema)
			: undefined;
	}

	/** Names of the headers the spec declares for a response (e.g. the X-RateLimit-* trio). */
	responseHeaders(operationId: string, status: number): string[] {
		const responses = this.operation(operationId).responses;
		const response = isObject(responses) ? responses[String(status)] : undefined;
		return isObject(response) && isObject(response.headers) ? Object.keys(response.headers) : [];
	}

	/** Validator of a header's value (already converted from its string form). */
	headerValidator(operationId: string, status: number, header: string): ValidateFunction {
		const responses = this.operation(operationId).responses as JsonObject;
		const headers = (responses[String(status)] as JsonObject).headers as JsonObject;
		return this.compile(
			`header:${operationId}:${status}:${header}`,
			(headers[header] as JsonObject).schema,
		);
	}

	declares(operationId: string, status: number): boolean {
		return this.operations.some(
			(op) => op.operationId === operationId && op.statuses.includes(status),
		);
	}
}

/** One line per Ajv error: `/leadOpportunity must have required property 'name'`. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string {
	return (errors ?? [])
		.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
		.join('; ');
}

/**
 * The parsed document. Parsing the 150 KB of YAML takes 0.4-0.6 s, and every jest test file is a
 * fresh module registry, so the parsed form is kept as JSON in the OS temp dir, keyed by a hash
 * of the YAML text (a changed spec gets a new file; a stale or half-written one is reparsed).
 */
function readDocument(path: string): JsonObject {
	const text = readFileSync(path, 'utf8');
	const cached = join(
		tmpdir(),
		`dassault-sales-sandbox-spec-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`,
	);
	try {
		return JSON.parse(readFileSync(cached, 'utf8')) as JsonObject;
	} catch {
		// Not cached yet.
	}
	const doc = parse(text) as JsonObject;
	try {
		// Write then rename, so a parallel reader never sees half a file.
		writeFileSync(`${cached}.${process.pid}`, JSON.stringify(doc));
		renameSync(`${cached}.${process.pid}`, cached);
	} catch {
		// A read-only temp dir only costs the parse next time.
	}
	return doc;
}

// One Spec (and its compiled validators) per file per process.
const cache = new Map<string, Spec>();

export function loadSpec(path: string = DEFAULT_SPEC_PATH): Spec {
	let spec = cache.get(path);
	if (!spec) {
		spec = new Spec(readDocument(path));
		cache.set(path, spec);
	}
	return spec;
}
