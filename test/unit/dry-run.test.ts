/**
 * Options › Dry Run (issue 25) of Create, Update and Create or Update: the same parameters,
 * validation, lookups, GETs and diff as a real run, and no write. Every test arms a guard that
 * answers (and records) any create POST or PATCH: the list of writes must stay empty.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ALREADY_EXISTS_MESSAGE } from '../../nodes/DassaultSales/transport';
import {
	API,
	created,
	createParameters,
	errorBody,
	expectedCreateBody,
	getResult,
	leadRecord,
	searchResult,
	updated,
} from '../helpers/fixtures';
import { runNode, TEST_BASE_URL, type SentRequest } from '../helpers/n8n';

const SEARCH = `${API}/v0/leads-opportunities/search`;
const CREATE = `${API}/v1/leads-opportunities`;
const path = (id: string) => `${API}/v1/leads-opportunities/${id}`;
const items = (n: number) => Array.from({ length: n }, () => ({ json: {} }));
const dry = { options: { dryRun: true } };
/** A real run's action and the dry run's word for it. */
const PREDICTION: Record<string, string> = {
	create: 'wouldCreate',
	update: 'wouldUpdate',
	unchanged: 'unchanged',
};
const upsert = (partnerLeadOpportunityId: string, extra: Record<string, unknown> = {}) =>
	createParameters({ operation: 'upsert', partnerLeadOpportunityId, ...dry, ...extra });

/** What 3DS stores for expectedCreateBody, in the forms its GET answers. */
const storedAsSent = (dsLeadOpportunityId: string, partnerLeadOpportunityId: string) => ({
	...leadRecord(dsLeadOpportunityId),
	partnerLeadOpportunityId,
	closeDate: expectedCreateBody.leadOpportunity.closeDate,
});

/**
 * Arms a mock that answers (and records) any create POST or PATCH; the test then expects none.
 * Optional, so that nock does not wait for it; armed after any real run of the test.
 */
let writes: string[] | undefined;
function guardWrites(): string[] {
	const seen: string[] = [];
	const refuse = (method: string) =>
		function (this: { req: { path: string } }): [number, string] {
			seen.push(`${method} ${this.req.path}`);
			return [599, 'a dry run sent a write'];
		};
	nock(TEST_BASE_URL)
		.persist()
		.post(CREATE)
		.optionally()
		.reply(refuse('POST'))
		.patch(/\/leads-opportunities\//)
		.optionally()
		.reply(refuse('PATCH'));
	return (writes = seen);
}
afterEach(() => {
	const sent = writes;
	writes = undefined;
	expect(sent).toEqual([]);
});

describe('Dry Run of Create or Update', () => {
	it('new, changed, identical: one search, the reads, no write; each item says what would happen', async () => {
		guardWrites();
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['P-NEW', 'P-CHANGED', 'P-SAME'] }] })
			.reply(200, searchResult('D-CHANGED', 'D-SAME'))
			.get(path('D-CHANGED'))
			.reply(200, getResult({ ...storedAsSent('D-CHANGED', 'P-CHANGED'), name: 'Old name' }))
			.get(path('D-SAME'))
			.reply(200, getResult(storedAsSent('D-SAME', 'P-SAME')));
		const output = await runNode({
			parameters: (i) => upsert(['P-NEW', 'P-CHANGED', 'P-SAME'][i]),
			items: items(3),
			sent,
		});
		expect(sent.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
		expect(output.map((o) => o.json.action)).toEqual(['wouldCreate', 'wouldUpdate', 'unchanged']);
		expect(output[0].json).toEqual({
			dryRun: true,
			dsLeadOpportunityId: null,
			partnerLeadOpportunityId: 'P-NEW',
			action: 'wouldCreate',
			changedFields: expect.arrayContaining(['leadOpportunity.name', 'offerLines']),
			body: {
				...expectedCreateBody,
				leadOpportunity: {
					...expectedCreateBody.leadOpportunity,
					partnerLeadOpportunityId: 'P-NEW',
				},
			},
		});
		expect(output[1].json).toEqual({
			dryRun: true,
			dsLeadOpportunityId: 'D-CHANGED',
			partnerLeadOpportunityId: 'P-CHANGED',
			action: 'wouldUpdate',
			changedFields: ['leadOpportunity.name'],
			changes: [
				{
					field: 'leadOpportunity.name',
					current: 'Old name',
					new: 'Transformation Project at NewCustomer',
				},
			],
			body: {
				partnerId: expectedCreateBody.partnerId,
				leadOpportunity: {
					partnerLeadOpportunityId: 'P-CHANGED',
					name: 'Transformation Project at NewCustomer',
				},
			},
		});
		expect(output[2].json).toMatchObject({
			dsLeadOpportunityId: 'D-SAME',
			action: 'unchanged',
			changedFields: [],
			body: null,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('two new items with one partner id: would create, then would update what the second changes', async () => {
		guardWrites();
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['P-1'] }] })
			.reply(200, searchResult());
		const output = await runNode({
			parameters: (i) =>
				upsert('P-1', i === 0 ? {} : i === 1 ? { name: 'Renamed' } : { name: 'Renamed' }),
			items: items(3),
		});
		expect(output.map((o) => o.json.action)).toEqual(['wouldCreate', 'wouldUpdate', 'unchanged']);
		expect(output[1].json.changes).toEqual([
			{
				field: 'leadOpportunity.name',
				current: 'Transformation Project at NewCustomer',
				new: 'Renamed',
			},
		]);
		// 3DS gives the id on create only: an item updating the would-be lead cannot name it.
		expect(output[1].json.dsLeadOpportunityId).toBeNull();
	});

	it('an invalid item fails with the message of a real run, the others are still predicted', async () => {
		const parameters = (i: number) => upsert(`P-${i}`, i === 1 ? { currency: 'EURO' } : {});
		nock(TEST_BASE_URL)
			.post(SEARCH)
			.reply(200, searchResult())
			.post(CREATE)
			.reply(201, created('D-0', 'P-0'));
		const real = await runNode({
			parameters: (i) => ({ ...parameters(i), options: {} }),
			items: items(2),
			continueOnFail: true,
		});
		expect(real[0].json.action).toBe('create');
		guardWrites();
		nock(TEST_BASE_URL).post(SEARCH).reply(200, searchResult());
		const output = await runNode({ parameters, items: items(2), continueOnFail: true });
		expect(output[0].json.action).toBe('wouldCreate');
		expect(output[1].json).toEqual(real[1].json);
	});

	it('Always Write: still compared, so the changes show; the body is the whole create body', async () => {
		guardWrites();
		nock(TEST_BASE_URL)
			.post(SEARCH)
			.reply(200, searchResult('D-1'))
			.get(path('D-1'))
			.reply(200, getResult({ ...storedAsSent('D-1', 'OPPY-1004526'), currency: 'USD' }));
		const [item] = await runNode({
			parameters: upsert('OPPY-1004526', { options: { dryRun: true, alwaysWrite: true } }),
		});
		expect(item.json).toMatchObject({
			action: 'wouldUpdate',
			changedFields: ['leadOpportunity.currency'],
			changes: [{ field: 'leadOpportunity.currency', current: 'USD', new: 'EUR' }],
			body: expectedCreateBody,
		});
	});

	it('1,000 items: the searches and GETs of a real run, no POST or PATCH', async () => {
		const ids = Array.from({ length: 1000 }, (_, i) => `P-${i}`);
		// Every other partner id exists in 3DS, half of those with another name.
		const existing = (id: string) => Number(id.slice(2)) % 2 === 0;
		const dsId = (id: string) => `D-${id.slice(2)}`;
		const mock = () =>
			nock(TEST_BASE_URL)
				.post(SEARCH)
				.times(20)
				.reply(200, (_uri, body) =>
					searchResult(
						...(
							body as { data: Array<{ partnerLeadOpportunityId: string[] }> }
						).data[0].partnerLeadOpportunityId
							.filter(existing)
							.map(dsId),
					),
				)
				.get(/\/v1\/leads-opportunities\/D-\d+$/)
				.times(500)
				.reply(200, (uri) => {
					const n = Number(uri.split('-').pop());
					const record = storedAsSent(`D-${n}`, `P-${n}`);
					return getResult(n % 4 === 0 ? { ...record, name: 'Old' } : record);
				});
		const reads = (sent: SentRequest[]) =>
			sent.filter((r) => r.method === 'GET' || r.url.endsWith('/search')).length;

		mock()
			.post(CREATE)
			.times(500)
			.reply(201, (_uri, body) =>
				created(
					'D-new',
					(body as { leadOpportunity: IDataObject }).leadOpportunity
						.partnerLeadOpportunityId as string,
				),
			)
			.patch(/\/v1\/leads-opportunities\/D-\d+$/)
			.times(250)
			.reply(200, (uri) => updated(uri.split('/').pop()!));
		const realSent: SentRequest[] = [];
		const real = await runNode({
			parameters: (i) => upsert(ids[i], { options: {} }),
			items: items(1000),
			sent: realSent,
		});
		guardWrites();
		mock();
		const drySent: SentRequest[] = [];
		const output = await runNode({
			parameters: (i) => upsert(ids[i]),
			items: items(1000),
			sent: drySent,
		});
		expect(drySent.filter((r) => r.method === 'PATCH' || !/search|\/D-/.test(r.url))).toEqual([]);
		const count = (action: string) => output.filter((o) => o.json.action === action).length;
		expect([count('wouldCreate'), count('wouldUpdate'), count('unchanged')]).toEqual([
			500, 250, 250,
		]);

		expect(reads(drySent)).toBe(reads(realSent));
		expect(real.map((o) => PREDICTION[String(o.json.action)])).toEqual(
			output.map((o) => o.json.action),
		);
	}, 60_000);
});

it('is paced like a real run: its reads wait for the quota the rate-limit headers announce', async () => {
	guardWrites();
	const ids = Array.from({ length: 60 }, (_, i) => `P-${i}`);
	nock(TEST_BASE_URL)
		.post(SEARCH)
		.reply(200, searchResult(), {
			'X-RateLimit-Limit': '100',
			'X-RateLimit-Remaining': '0',
			'X-RateLimit-Reset': '3',
		})
		.post(SEARCH)
		.reply(200, searchResult());
	const output = await runNode({ parameters: (i) => upsert(ids[i]), items: items(60) });
	expect(output.every((o) => o.json.action === 'wouldCreate')).toBe(true);
	// The second search waited (n8n's sleep, mocked in this layer) for the announced reset, plus
	// the gate's margin.
	const waits = jest.mocked(sleep).mock.calls.map(([ms]) => ms);
	expect(waits.some((ms) => ms > 2500 && ms <= 3500)).toBe(true);
});

describe('Dry Run of Create', () => {
	it('would create what 3DS does not hold; predicts the ERR801 of one it holds, and of a duplicate', async () => {
		guardWrites();
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['P-NEW', 'P-HELD'] }] })
			.reply(200, searchResult('D-HELD'))
			.get(path('D-HELD'))
			.reply(200, getResult(storedAsSent('D-HELD', 'P-HELD')));
		const output = await runNode({
			parameters: (i) =>
				createParameters({ partnerLeadOpportunityId: ['P-NEW', 'P-HELD', 'P-NEW'][i], ...dry }),
			items: items(3),
			continueOnFail: true,
			sent,
		});
		expect(sent.map((r) => r.method)).toEqual(['POST', 'GET']);
		expect(output[0].json).toMatchObject({
			dryRun: true,
			action: 'wouldCreate',
			dsLeadOpportunityId: null,
			body: { leadOpportunity: { partnerLeadOpportunityId: 'P-NEW' } },
		});
		expect(output[1].json).toMatchObject({ error: `${ALREADY_EXISTS_MESSAGE} [item 1]` });
		expect(output[1].json.description).toContain('3DS holds it as D-HELD');
		expect(output[2].json).toMatchObject({ error: `${ALREADY_EXISTS_MESSAGE} [item 2]` });
		expect(output[2].json.description).toContain(
			'an earlier item of this execution would create it',
		);
	});

	it("the predicted refusal says what the real run's ERR801 says", async () => {
		nock(TEST_BASE_URL)
			.post(CREATE)
			.reply(
				400,
				errorBody(400, 'ERR801', 'Leverage with this Partner External ID already exists.'),
			);
		const error = await runNode({ parameters: createParameters() }).catch((e: Error) => e);
		expect((error as Error).message).toBe(`${ALREADY_EXISTS_MESSAGE} [item 0]`);
		guardWrites();
	});
});

describe('Dry Run of Update', () => {
	const update = (extra: Record<string, unknown> = {}) => ({
		resource: 'leadOpportunity',
		operation: 'update',
		apiVersion: 'v1',
		dsLeadOpportunityId: 'HCRQ-F1LLDE',
		inputMode: 'fields',
		partnerLeadOpportunityId: 'OPPY-1004526',
		updateFields: { status: 'VALIDATED', name: 'Transformation Project at NewCustomer' },
		offerLines: {},
		customer: {},
		customerContacts: {},
		partnerContacts: {},
		...dry,
		...extra,
	});

	it('reads the record and reports each changed field, current and new, and the PATCH it would send', async () => {
		guardWrites();
		nock(TEST_BASE_URL)
			.get(path('HCRQ-F1LLDE'))
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')));
		const [item] = await runNode({ parameters: update() });
		expect(item.json).toEqual({
			dryRun: true,
			dsLeadOpportunityId: 'HCRQ-F1LLDE',
			partnerLeadOpportunityId: 'OPPY-1004526',
			action: 'wouldUpdate',
			changedFields: ['leadOpportunity.status'],
			changes: [{ field: 'leadOpportunity.status', current: 'OPPY_OPEN', new: 'VALIDATED' }],
			body: {
				partnerId: '200000000014442',
				leadOpportunity: {
					partnerLeadOpportunityId: 'OPPY-1004526',
					status: 'VALIDATED',
					name: 'Transformation Project at NewCustomer',
				},
			},
		});
	});

	it('an unknown id fails with the error of a real run (the GET answers ERROR_048 like the PATCH)', async () => {
		const notFound = (status: number) =>
			errorBody(status, 'ERROR_048', 'Leverage Id not in scope of requestor');
		nock(TEST_BASE_URL).patch(path('HCRQ-F1LLDE')).reply(400, notFound(400));
		const realError = await runNode({ parameters: update({ options: {} }) }).catch((e: Error) => e);
		guardWrites();
		nock(TEST_BASE_URL).get(path('HCRQ-F1LLDE')).reply(500, notFound(500));
		const dryError = await runNode({ parameters: update() }).catch((e: Error) => e);
		expect((dryError as Error).message).toMatch(/was not found or is not in your scope/);
		expect((dryError as Error).message).toBe((realError as Error).message);
	});

	it('a second update of the same lead compares with what the first would leave (one GET)', async () => {
		guardWrites();
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.get(path('HCRQ-F1LLDE'))
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')));
		const output = await runNode({
			parameters: (i) =>
				update(i === 0 ? {} : { updateFields: { status: 'VALIDATED', description: 'Pilot' } }),
			items: items(2),
			sent,
		});
		expect(sent.map((r) => r.method)).toEqual(['GET']);
		expect(output[1].json.changedFields).toEqual(['leadOpportunity.description']);
		expect(output[1].json.action).toBe('wouldUpdate');
	});
});

it('the guard catches a write (as it would a dry run that writes)', async () => {
	const seen = guardWrites();
	nock(TEST_BASE_URL).post(SEARCH).reply(200, searchResult());
	await runNode({ parameters: upsert('P-1', { options: {} }) }).catch(() => undefined);
	expect(seen).toEqual([`POST ${CREATE}`]);
	seen.length = 0;
});
