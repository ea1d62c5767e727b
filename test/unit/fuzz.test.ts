/**
 * Bad input never crashes and never reaches the API (property-based, seeded, reproducible).
 * The network is closed but to nock, and no interceptor is set: any request that does leave is a
 * body that passed validation, and the harness checks it against the spec before it leaves.
 */
import fc from 'fast-check';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createParameters } from '../helpers/fixtures';
import { runNode, type SentRequest } from '../helpers/n8n';

const SEED = 20261122;

// n8n never hands a node `undefined` for a parameter that exists; anything else it may.
const junk = fc.oneof(
	fc.anything().filter((value) => value !== undefined),
	fc.string(),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.constantFrom(
		'',
		' ',
		'\u0000',
		'../..',
		'a/b?c#d',
		'%2F..%2F',
		'DROP TABLE',
		'💼'.repeat(5),
		'x'.repeat(100_000),
	),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
);
const dates = fc.oneof(
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	fc.constantFrom(
		'2025-06-01',
		'2025-06-01T18:46:51+02:00',
		'2025-06-01 18:46',
		'2025-02-30',
		'01/06/2025',
		'tomorrow',
		'2025-06-01T25:00:00Z',
		'+020000-01-01T00:00:00Z',
		'2025-06-01T18:46:51.123456789-05:30',
		'1',
		'',
	),
	junk,
);
const currencies = fc.oneof(
	fc.constantFrom('EUR', 'eur', 'Usd', 'XYZ', 'EURO', 'E1R', '', ' usd '),
	junk,
);
const offerLine = fc.record(
	{
		offerNameId: fc.oneof(
			fc.constantFrom('CLASS00002_ONPR_PRTF077_SOL001277', ''),
			junk,
			fc.record({
				__rl: fc.constant(true),
				mode: fc.constant('list'),
				value: fc.oneof(fc.constant('A'), junk),
			}),
		),
		amount: fc.oneof(fc.double(), fc.integer(), junk),
		revenueType: fc.oneof(fc.constantFrom('PxC', 'YxC', 'QxC', 'UPFRONT', 'pxc'), junk),
		revenueTypeV0: fc.oneof(fc.constantFrom('UPFRONT', 'RENTAL_BOOKING', 'PxC'), junk),
		startDate: dates,
		endDate: dates,
	},
	{ requiredKeys: [] },
);
const stringOrJunk = (...values: string[]) => fc.oneof(fc.constantFrom(...values), junk);

const createLike = fc.record(
	{
		operation: fc.constantFrom('create', 'upsert'),
		apiVersion: stringOrJunk('v1', 'v0', '../../v0/portfolio-items/search?top=1#'),
		partnerLeadOpportunityId: stringOrJunk('OPPY-1', ''),
		name: stringOrJunk('Deal', ''),
		status: stringOrJunk('LEAD_OPEN', 'WON', 'open'),
		closeDate: dates,
		currency: currencies,
		offerLines: fc.oneof(fc.record({ offerLine: fc.array(offerLine, { maxLength: 3 }) }), junk),
		customerName: stringOrJunk('ACME', ''),
		customerCity: stringOrJunk('Paris'),
		customerCountry: stringOrJunk('France'),
		additionalFields: fc.oneof(
			fc.record(
				{
					dsOwnerEmail: stringOrJunk('a@b.com', 'not-an-email'),
					forecastCategory: stringOrJunk('UPSIDE', 'upside'),
					reasonWon: fc.oneof(fc.constant(['STRNG_VAL_PROP']), fc.array(junk, { maxLength: 2 })),
					reasonLost: fc.oneof(fc.constant(['NO_PROJECT']), junk),
					competitors: fc.oneof(fc.constant('A, B'), junk),
					nextMilestoneDate: dates,
					partnerId: stringOrJunk('200000000014442', ''),
				},
				{ requiredKeys: [] },
			),
			junk,
		),
		customerDetails: fc.oneof(
			fc.record({ zipCode: stringOrJunk('82131'), websiteUrl: junk }, { requiredKeys: [] }),
			junk,
		),
		customerContacts: fc.oneof(
			fc.record({
				contact: fc.array(
					fc.record({
						email: stringOrJunk('a@b.com', 'x'),
						firstName: junk,
						lastName: stringOrJunk('B'),
					}),
					{ maxLength: 2 },
				),
			}),
			junk,
		),
	},
	{ requiredKeys: ['operation', 'apiVersion'] },
);

const jsonBodies = fc.record({
	operation: fc.constantFrom('create', 'upsert', 'update'),
	apiVersion: fc.constantFrom('v1', 'v0'),
	inputMode: fc.constant('json'),
	dsLeadOpportunityId: stringOrJunk('HCRQ-F1LLDE', '../../x', 'a/b', ''),
	jsonBody: fc.oneof(
		fc.json(),
		fc.jsonValue(),
		fc.string(),
		fc.record({
			leadOpportunity: fc.oneof(
				junk,
				fc.record(
					{ partnerLeadOpportunityId: junk, closeDate: dates, currency: currencies },
					{ requiredKeys: [] },
				),
			),
			offerLines: fc.oneof(fc.constant([]), fc.array(offerLine, { maxLength: 2 }), junk),
			customerLegalEntity: junk,
		}),
	),
});

const searches = fc.record({
	operation: fc.constant('search'),
	filters: fc.oneof(
		fc.record(
			{
				modifiedAfter: dates,
				modifiedBefore: dates,
				partnerLeadOpportunityIds: fc.oneof(
					fc.constant('A, B'),
					fc.constant(''),
					fc.array(junk, { maxLength: 3 }),
					junk,
				),
				unassignedOnly: fc.oneof(fc.boolean(), junk),
			},
			{ requiredKeys: [] },
		),
		junk,
	),
	output: fc.constantFrom('ids', 'records'),
	returnAll: fc.oneof(fc.boolean(), junk),
	limit: fc.oneof(fc.integer(), junk),
	options: fc.oneof(
		fc.record(
			{ apiVersion: stringOrJunk('v1', 'v0', '../x'), concurrency: fc.oneof(fc.integer(), junk) },
			{ requiredKeys: [] },
		),
		junk,
	),
});

const portfolio = fc.record({
	resource: fc.constant('portfolioItem'),
	operation: fc.constant('getMany'),
	returnAll: fc.oneof(fc.boolean(), junk),
	limit: fc.oneof(fc.integer(), junk),
	filters: fc.oneof(
		fc.record(
			{ level1: junk, orderableOnly: fc.oneof(fc.boolean(), junk), type: junk },
			{ requiredKeys: [] },
		),
		junk,
	),
	simplify: fc.oneof(fc.boolean(), junk),
});

const stats = { cases: 0, rejected: 0, sent: 0 };

async function check(parameters: Record<string, unknown>) {
	stats.cases++;
	const sent: SentRequest[] = [];
	const base =
		parameters.operation === 'search'
			? { resource: 'leadOpportunity', options: {} }
			: createParameters();
	const error = await runNode({ parameters: { ...base, ...parameters }, sent }).then(
		() => undefined,
		(e: unknown) => e,
	);
	if (error === undefined) return true; // nock has no interceptor, so success is impossible
	if (!(error instanceof NodeOperationError) && !(error instanceof NodeApiError)) throw error;
	if (
		error.message.includes('Contract violation') ||
		String(error.description).includes('Contract violation')
	)
		throw error;
	if (error.context.itemIndex !== 0) throw new Error(`no item index: ${error.message}`);
	if (sent.length === 0) {
		stats.rejected++;
		if (!/item 0/.test(error.message))
			throw new Error(`error does not name the item: ${error.message}`);
	} else stats.sent++;
	return true;
}

describe('bad input never crashes and never reaches the API', () => {
	jest.setTimeout(240_000);
	afterAll(() =>
		console.log(
			`fuzz: ${stats.cases} cases, ${stats.rejected} rejected before any request, ${stats.sent} valid and sent (checked against the spec), seed ${SEED}`,
		),
	);

	it.each([
		['create/upsert fields', createLike, 4500],
		['JSON bodies', jsonBodies, 3000],
		['search filters', searches, 2000],
		['portfolio filters', portfolio, 500],
	] as const)('%s', async (_name, arbitrary, numRuns) => {
		await fc.assert(fc.asyncProperty(arbitrary as fc.Arbitrary<Record<string, unknown>>, check), {
			seed: SEED,
			numRuns,
		});
	});
});
