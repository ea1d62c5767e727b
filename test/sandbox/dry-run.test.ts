/**
 * Options › Dry Run (issue 25) against the sandbox over real HTTP: a dry run of Create or Update
 * writes nothing (the sandbox logs no create or update), and the real run right after it, on the
 * same items, does exactly what it predicted, item by item: the action, the changed fields, the
 * errors. The set mixes new, changed, identical and invalid items and partner ids repeated in one
 * execution (created by one item, then updated or left alone by the next ones).
 */
import fc from 'fast-check';
import type { INodeExecutionData } from 'n8n-workflow';

import { diffLeadOpportunity } from '../../nodes/DassaultSales/helpers/leadOpportunityDiff';
import {
	storedAfterCreate,
	storedAfterPatch,
} from '../../nodes/DassaultSales/helpers/wouldBeStored';
import type { ApiVersion, CreateBody, UpdateBody } from '../../nodes/DassaultSales/schemas';
import { createParameters } from '../helpers/fixtures';
import { runNode, testCredentials } from '../helpers/n8n';
import { call, KEY, useSandbox, V0, V1 } from './helpers';
import { leadBody } from './lead-bodies';

jest.setTimeout(60_000);

/** A real run's action and the dry run's word for it. */
const PREDICTION: Record<string, string> = {
	create: 'wouldCreate',
	update: 'wouldUpdate',
	unchanged: 'unchanged',
};

/** Item by item: the action (or the error) and the changed fields, in the dry run's words. */
function outcome(item: INodeExecutionData) {
	if (item.json.error !== undefined) return { error: item.json.error };
	const action = PREDICTION[String(item.json.action)] ?? item.json.action;
	// A real create lists no fields (the prediction lists the body's); updates list theirs.
	const changedFields = action === 'wouldCreate' ? undefined : (item.json.changedFields ?? []);
	return { action, changedFields };
}

describe('Dry Run against the sandbox', () => {
	const env = useSandbox({ reset: true, quota: 1_000_000 });
	const credentials = () => testCredentials({ baseUrl: env.sandbox.url, apiKey: KEY });
	const offerLine = () => ({
		offerLine: [
			{
				offerNameId: env.sandbox.admin.portfolioItems()[0].salesPortfolioId,
				amount: 1200,
				revenueType: 'PxC',
			},
		],
	});
	const upsert = (partnerLeadOpportunityId: string, extra: Record<string, unknown> = {}) =>
		createParameters({
			operation: 'upsert',
			partnerLeadOpportunityId,
			offerLines: offerLine(),
			...extra,
		});

	/** The mixed set: what each item is, in a comment beside it. */
	const mixedSet = (): Array<Record<string, unknown>> => [
		upsert('DRY-NEW'), // new
		upsert('DRY-CHANGED', { name: 'A new name' }), // changed
		upsert('DRY-SAME'), // identical
		upsert('DRY-BAD', { currency: 'EURO' }), // invalid
		upsert('DRY-TWICE'), // new …
		upsert('DRY-TWICE', { name: 'Second name' }), // … then changed by the next item
		upsert('DRY-TWICE', { name: 'Second name' }), // … then identical
		upsert('DRY-CHANGED', { name: 'A new name', status: 'VALIDATED' }), // changed again
		// A lead stage ignores the forecast category at creation: the next item's is a change.
		upsert('DRY-LEAD', { status: 'LEAD_OPEN', additionalFields: { forecastCategory: 'COMMIT' } }),
		upsert('DRY-LEAD', { status: 'LEAD_OPEN', additionalFields: { forecastCategory: 'COMMIT' } }),
		upsert('DRY-WON', { status: 'WON' }), // new; WON sets the category itself
		upsert('DRY-WON', { status: 'WON', additionalFields: { description: 'Signed' } }),
	];
	const run = async (dryRun: boolean) => {
		const items = mixedSet();
		return await runNode({
			parameters: (i) => ({ ...items[i], options: { dryRun } }),
			items: items.map(() => ({ json: {} })),
			credentials: credentials(),
			continueOnFail: true,
		});
	};

	it('the real run right after a dry run does exactly what the dry run predicted', async () => {
		const admin = env.sandbox.admin;
		// 3DS already holds DRY-CHANGED (another name) and DRY-SAME (as the items give it).
		await runNode({
			parameters: (i) => ({ ...[upsert('DRY-CHANGED'), upsert('DRY-SAME')][i], options: {} }),
			items: [{ json: {} }, { json: {} }],
			credentials: credentials(),
		});
		const writesBefore = admin.changes().length;
		const requestsBefore = { ...admin.counters().requests };

		const predicted = await run(true);
		expect(admin.changes()).toHaveLength(writesBefore);
		const sentByDryRun = Object.entries(admin.counters().requests)
			.filter(([operationId, n]) => n !== (requestsBefore[operationId] ?? 0))
			.map(([operationId]) => operationId);
		expect(sentByDryRun.every((operationId) => /search|^get/.test(operationId))).toBe(true);
		expect(predicted.map((item) => item.json.action ?? 'error')).toEqual([
			'wouldCreate',
			'wouldUpdate',
			'unchanged',
			'error',
			'wouldCreate',
			'wouldUpdate',
			'unchanged',
			'wouldUpdate',
			'wouldCreate',
			'wouldUpdate',
			'wouldCreate',
			'wouldUpdate',
		]);
		expect(predicted[7].json.changedFields).toEqual(['leadOpportunity.status']);

		const real = await run(false);
		expect(real.map(outcome)).toEqual(predicted.map(outcome));
		// And the creates and updates the sandbox logged are the ones predicted.
		const written = admin.changes().slice(writesBefore);
		expect(written).toHaveLength(
			predicted.filter((item) => /^would/.test(String(item.json.action))).length,
		);
	});

	it('Create and Update: the dry run fails where the real run fails, with its message, and writes nothing', async () => {
		const admin = env.sandbox.admin;
		const create = (extra: Record<string, unknown> = {}) =>
			createParameters({ partnerLeadOpportunityId: 'DRY-HELD', offerLines: offerLine(), ...extra });
		const [held] = await runNode({ parameters: create(), credentials: credentials() });
		const update = (dsLeadOpportunityId: string, dryRun: boolean) => ({
			resource: 'leadOpportunity',
			operation: 'update',
			apiVersion: 'v1',
			dsLeadOpportunityId,
			inputMode: 'fields',
			partnerLeadOpportunityId: 'DRY-HELD',
			updateFields: { status: 'VALIDATED' },
			options: { dryRun },
		});
		const attempt = async (parameters: Record<string, unknown>) =>
			(await runNode({ parameters, credentials: credentials(), continueOnFail: true }))[0].json;
		const writesBefore = admin.changes().length;

		const dryCreate = await attempt(create({ options: { dryRun: true } }));
		const dryUpdate = await attempt(update(String(held.json.dsLeadOpportunityId), true));
		const dryUnknown = await attempt(update('NOPE-000000', true));
		expect(admin.changes()).toHaveLength(writesBefore);
		expect(dryUpdate).toMatchObject({
			action: 'wouldUpdate',
			changes: [{ field: 'leadOpportunity.status', current: 'OPPY_OPEN', new: 'VALIDATED' }],
		});

		expect((await attempt(create())).error).toBe(dryCreate.error);
		expect((await attempt(update('NOPE-000000', false))).error).toBe(dryUnknown.error);
		expect(dryUnknown.error).toMatch(/"NOPE-000000" was not found/);
		expect(dryCreate.error).toMatch(/already exists in 3DS/);
		expect(await attempt(update(String(held.json.dsLeadOpportunityId), false))).toMatchObject({
			action: 'update',
		});
	});

	describe.each<ApiVersion>(['v1', 'v0'])(
		'what a dry run assumes 3DS holds after a would-be write (%s)',
		(version) => {
			const base = version === 'v0' ? V0 : V1;
			const read = async (id: string) =>
				(await call(env.sandbox.url, 'GET', `${base}/leads-opportunities/${id}`)).body.data
					.leadOpportunity;
			const changed = (desired: CreateBody, stored: Record<string, unknown>) =>
				diffLeadOpportunity(desired, stored as never, version);

			// Random bodies with one partner id: create the first, then the second and the third
			// are compared (and written) as a real run does, and as the dry run predicts.
			it('finds every change the real run finds: a field it cannot foresee counts as changed, never as the same', async () => {
				let n = 0;
				await fc.assert(
					fc.asyncProperty(
						leadBody(version, fc.constant('DRY-P')),
						leadBody(version, fc.constant('DRY-P')),
						leadBody(version, fc.constant('DRY-P')),
						async (first, second, third) => {
							const pid = `DRY-P-${version}-${n++}`;
							const own = (body: CreateBody): CreateBody => ({
								...body,
								leadOpportunity: { ...body.leadOpportunity, partnerLeadOpportunityId: pid },
							});
							const [b1, b2, b3] = [own(first), own(second), own(third)];
							const created = await call(env.sandbox.url, 'POST', `${base}/leads-opportunities`, {
								body: b1,
							});
							expect(created.status).toBe(201);
							const id = created.body.dsLeadOpportunityId as string;
							let real = await read(id);
							let assumed = storedAfterCreate(b1, version);
							for (const next of [b2, b3]) {
								const truth = changed(next, real);
								const predicted = changed(next, assumed);
								expect(predicted.changedFields).toEqual(
									expect.arrayContaining(truth.changedFields),
								);
								if (truth.patch === undefined) continue;
								const patched = await call(
									env.sandbox.url,
									'PATCH',
									`${base}/leads-opportunities/${id}`,
									{ body: truth.patch },
								);
								expect(patched.status).toBe(200);
								real = await read(id);
								assumed = storedAfterPatch(
									assumed,
									(predicted.patch ?? truth.patch) as UpdateBody,
									version,
								);
							}
						},
					),
					{ numRuns: 60, seed: 25 },
				);
			});
		},
	);
});
