/**
 * n8n's UX guidelines for verified community nodes (n8n-docs, integrations/creating-nodes/build/
 * reference/ux-guidelines.md), the parts a machine can check, on the built package (`npm test`
 * builds first): the descriptions n8n loads and the messages of the error catalogue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const dist = (file: string) => require(join(root, 'dist', file));

const { DassaultSales } = dist('nodes/DassaultSales/DassaultSales.node.js');
const { DassaultSalesTrigger } = dist('nodes/DassaultSalesTrigger/DassaultSalesTrigger.node.js');
const { DassaultSalesApi } = dist('credentials/DassaultSalesApi.credentials.js');
const { apiError, networkError } = dist('nodes/DassaultSales/transport/errors.js');

const action = new DassaultSales().description;
const trigger = new DassaultSalesTrigger().description;
const credential = new DassaultSalesApi();

/** "error", "failure", "problem", "mistake" and their forms, as whole words. */
const BANNED = /\b(errors?|fail(ure|ures|ed|s)?|problems?|mistakes?)\b/i;

/** Any entry of a description: property, option, collection value or locator mode. */
type Any = (INodeProperties | INodePropertyCollection | INodePropertyOptions) & {
	description?: string;
	type?: string;
};

/** Every property, option and mode of a description, with its path for the failure message. */
function walk(properties: readonly Any[], path = ''): Array<[string, Any]> {
	const found: Array<[string, Any]> = [];
	for (const entry of properties) {
		const here = `${path}/${'name' in entry ? String(entry.name) : '?'}`;
		found.push([here, entry]);
		const nested = [
			...(((entry as INodeProperties).options as Any[] | undefined) ?? []),
			...(((entry as INodePropertyCollection).values as Any[] | undefined) ?? []),
			...(((entry as INodeProperties).modes as unknown as Any[] | undefined) ?? []),
		];
		found.push(...walk(nested, here));
	}
	return found;
}

const surfaces: Array<[string, Any[]]> = [
	['Dassault Systèmes Sales', action.properties],
	['Dassault Systèmes Sales Trigger', trigger.properties],
	['credential', credential.properties],
];
const everything = surfaces.flatMap(([node, properties]) =>
	walk(properties).map(([path, entry]) => [`${node}${path}`, entry] as const),
);
const texts = (entry: Any) =>
	[
		(entry as INodeProperties).displayName,
		entry.description,
		(entry as INodeProperties).hint,
		(entry as INodeProperties).placeholder,
		(entry as INodePropertyOptions).action,
	].filter((text): text is string => typeof text === 'string');

describe("n8n's UX guidelines, on the built descriptions", () => {
	it('has something to check', () => {
		expect(everything.length).toBeGreaterThan(150);
	});

	it('placeholders start with "e.g." (collections say "Add …", lists "Select …")', () => {
		const wrong = everything
			.filter(([, entry]) => typeof (entry as INodeProperties).placeholder === 'string')
			.filter(([, entry]) => {
				const { type, placeholder } = entry as Any & { placeholder?: string };
				if (type === 'collection' || type === 'fixedCollection') return !/^Add /.test(placeholder!);
				if (type === 'list') return !/^Select /.test(placeholder!);
				return !placeholder!.startsWith('e.g. ');
			})
			.map(([path, entry]) => `${path}: ${(entry as INodeProperties).placeholder}`);
		expect(wrong).toEqual([]);
	});

	it('boolean descriptions start with "Whether"', () => {
		const booleans = everything.filter(
			([, entry]) => (entry as INodeProperties).type === 'boolean',
		);
		expect(booleans.length).toBeGreaterThan(5);
		const wrong = booleans
			.filter(([, entry]) => !entry.description?.startsWith('Whether '))
			.map(([path]) => path);
		expect(wrong).toEqual([]);
	});

	it('no label, description, hint or notice says "error", "failure" or "problem"', () => {
		const wrong = everything.flatMap(([path, entry]) =>
			texts(entry)
				.filter((text) => BANNED.test(text))
				.map((text) => `${path}: ${text}`),
		);
		expect(wrong).toEqual([]);
	});

	it('resource locators default to From List, their first mode', () => {
		const locators = everything.filter(
			([, entry]) => (entry as INodeProperties).type === 'resourceLocator',
		);
		expect(locators.length).toBeGreaterThanOrEqual(3);
		for (const [path, entry] of locators) {
			const locator = entry as INodeProperties;
			const modes = locator.modes!.map((mode) => mode.name);
			expect([path, modes[0], (locator.default as { mode: string }).mode]).toEqual([
				path,
				'list',
				'list',
			]);
		}
	});

	it('Simplify (on by default) and a tool Output wherever a lead-opportunity record, of more than 10 fields, is returned', () => {
		const spec = parse(
			readFileSync(join(root, 'test/fixtures/dassault-sales-api4partners-2.0.0.yaml'), 'utf8'),
		);
		const record =
			spec.components.schemas['200_get_leads-opportunities'].properties.data.properties
				.leadOpportunity.properties;
		expect(Object.keys(record).length).toBeGreaterThan(10);
		const shown = (name: string, operation: string) =>
			action.properties.filter(
				(p: INodeProperties) =>
					p.name === name && p.displayOptions?.show?.operation?.includes(operation),
			);
		for (const operation of ['get', 'search']) {
			const [simplify] = shown('simplify', operation);
			expect([operation, simplify?.type, simplify?.default, simplify?.description]).toEqual([
				operation,
				'boolean',
				true,
				'Whether to return a simplified version of the response instead of the raw data',
			]);
			const [output] = shown('toolOutput', operation);
			expect(output.displayOptions.show['@tool']).toEqual([true]);
			expect(output.options.map((o: INodePropertyOptions) => o.name)).toEqual([
				'Raw',
				'Selected Fields',
				'Simplified',
			]);
		}
		const triggerSimplify = trigger.properties.find((p: INodeProperties) => p.name === 'simplify');
		expect(triggerSimplify).toMatchObject({ type: 'boolean', default: true });
	});

	it('sorting sits in its own collection, below Options where there is one', () => {
		for (const [resource, operation] of [
			['leadOpportunity', 'search'],
			['portfolioItem', 'getMany'],
		]) {
			const names = action.properties
				.filter(
					(p: INodeProperties) =>
						p.displayOptions?.show?.resource?.includes(resource) &&
						p.displayOptions?.show?.operation?.includes(operation),
				)
				.map((p: INodeProperties) => p.name);
			expect(names).toContain('sort');
			if (names.includes('options'))
				expect(names.indexOf('sort')).toBeGreaterThan(names.indexOf('options'));
		}
	});
});

describe("n8n's UX guidelines, on the error catalogue", () => {
	const node = { name: 'Dassault Systèmes Sales', type: 'dassaultSales', typeVersion: 1 };
	const environment = { name: 'Partner Development', url: 'https://apigw-ppt.3ds.com' };
	const envelope = (code: string, message: string) => ({
		info: { success: false, traceId: 'trace-42' },
		error: { code, message },
	});
	/** Every message apiError can give: each status and code it names, and the general ones. */
	const catalogue: Array<[string, number, unknown, object]> = [
		['401', 401, { message: 'Unauthorized' }, {}],
		['403', 403, { message: 'API Consumer Not allowed' }, {}],
		['429', 429, { message: 'Too Many Requests' }, {}],
		['503', 503, { message: 'Service Unavailable' }, {}],
		['ERR899', 500, envelope('ERR899', 'Service down'), {}],
		[
			'ERR801',
			400,
			envelope('ERR801', 'Leverage with this Partner External ID already exists.'),
			{},
		],
		['ERR805', 400, envelope('ERR805', 'Invalid date format'), {}],
		['ERROR_043', 400, envelope('ERROR_043', 'fromDate and toDate are mandatory'), {}],
		['ERROR_048', 500, envelope('ERROR_048', 'Leverage Id not in scope of requestor'), {}],
		['ERROR_004', 400, envelope('ERROR_004', 'top must be positive'), {}],
		['unexpected shape', 200, { data: {} }, { unexpectedShape: true }],
		['2xx not an object', 200, '<html>gateway</html>', {}],
		['2xx success false', 200, envelope('X1', 'nope'), {}],
		['other 4xx', 400, envelope('X2', 'Field name is invalid'), {}],
		['other 5xx', 500, envelope('X3', 'Internal'), {}],
	];

	it.each(catalogue)(
		'%s: what happened with the item, how to get unstuck first, the 3DS details kept',
		(_, statusCode, body, extra) => {
			const error = apiError({
				node,
				itemIndex: 2,
				action: 'get lead-opportunity "HCRQ-F1LLDE"',
				statusCode,
				body,
				environment,
				dsLeadOpportunityId: 'HCRQ-F1LLDE',
				...extra,
			});
			expect(error.message).toMatch(/ \[item 2\]$/);
			expect(error.message).not.toMatch(BANNED);
			const [fix] = (error.description as string).split('\n');
			expect(fix).toMatch(/^(Check|Fill|Run|Use|Give|Set) /);
			expect(fix).not.toMatch(BANNED);
			if (typeof body === 'object' && body !== null && 'error' in body) {
				const { code, message } = (body as { error: { code: string; message: string } }).error;
				expect(error.description).toContain(`3DS code ${code}`);
				expect(error.description).toContain(message);
				expect(error.description).toContain('traceId trace-42');
			}
		},
	);

	it('network: what happened with the item, how to get unstuck first', () => {
		const error = networkError(node, 'ECONNRESET', 'get lead-opportunity "A"', environment, 0, 3);
		expect(error.message).toMatch(/ \[item 0\]$/);
		expect(error.message).not.toMatch(BANNED);
		expect(error.description).toMatch(/^Check the environment or Base URL/);
		expect(error.description).not.toMatch(BANNED);
	});
});
