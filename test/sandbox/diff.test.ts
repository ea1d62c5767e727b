// The sandbox's fidelity for Create or Update's diff (issue 12): what a create stores comes back
// from GET in a form the diff compares as equal, a PATCH the diff builds is accepted and yields the
// desired record, a search takes a chunk of partner ids, and modifiedDate moves on writes only.
import fc from 'fast-check';

import type { IDataObject } from 'n8n-workflow';

import { readDaysIn } from '../../nodes/DassaultSales/helpers/dates';
import { diffLeadOpportunity } from '../../nodes/DassaultSales/helpers/leadOpportunityDiff';
import { createBody, type ApiVersion, type CreateBody } from '../../nodes/DassaultSales/schemas';
import { call, SEARCH, useSandbox, V0, V1 } from './helpers';
import { ignoredAtCreation, leadBody } from './lead-bodies';

const T0 = Date.parse('2025-08-10T12:00:00.000Z');
const base = (version: ApiVersion) => (version === 'v0' ? V0 : V1);

describe('the sandbox as the diff needs it', () => {
	const env = useSandbox({ clock: T0, reset: true, quota: 1_000_000 });

	const create = async (version: ApiVersion, body: CreateBody) => {
		const res = await call(env.sandbox.url, 'POST', `${base(version)}/leads-opportunities`, {
			body,
		});
		expect(res.status).toBe(201);
		return res.body.dsLeadOpportunityId as string;
	};
	const get = async (version: ApiVersion, id: string) => {
		const res = await call(env.sandbox.url, 'GET', `${base(version)}/leads-opportunities/${id}`);
		expect(res.status).toBe(200);
		return res.body.data.leadOpportunity;
	};
	const patch = (version: ApiVersion, id: string, body: unknown) =>
		call(env.sandbox.url, 'PATCH', `${base(version)}/leads-opportunities/${id}`, { body });

	const full = (version: ApiVersion, partnerLeadOpportunityId = 'CRM-FULL') =>
		createBody(version).parse({
			partnerId: '200000000014442',
			leadOpportunity: {
				partnerLeadOpportunityId,
				name: 'Plant digital twin',
				status: 'OPPY_OPEN',
				forecastCategory: 'COMMIT',
				closeDate: '2025-12-31T01:00:00+01:00',
				currency: 'eur',
				dsOwnerEmail: 'psm@3ds.com',
				cometCampaignCode: 'CMP-1',
				reasonWon: ['LWR_IMPL_COST'],
				reasonLost: ['FUNC_GAP'],
				competitors: ['Siemens'],
				reasonWonLostComment: '',
				gtmTacticId: 'GTM-7',
				description: 'Pilot line',
				nextMilestone: 'Demo',
				nextMilestoneDate: '2025-09-01T08:30:00Z',
			},
			offerLines:
				version === 'v1'
					? [
							{ offerNameId: 'OFFER-A', amount: 13000 },
							{
								offerNameId: 'OFFER-B',
								amount: 2000.5,
								revenueType: 'QxC',
								startDate: '2025-01-01',
								endDate: '2025-12-31',
							},
						]
					: [
							{ offerNameId: 'OFFER-A', amount: 13000, revenueType: 'RENTAL_BOOKING' },
							{ offerNameId: 'OFFER-B' },
						],
			customerLegalEntity: {
				name: 'ACME',
				city: 'Lyon',
				country: 'France',
				vatNumber: 'FR123',
				zipCode: null,
			},
			customerContacts: [
				{ email: 'ann@acme.fr', firstName: 'Ann', lastName: 'Lee', phoneNumber: '+33 1' },
			],
			partnerContacts: [
				{ salesRepEmail: 'rep@p.com', salesRepFirstName: 'R', salesRepLastName: 'P' },
			],
		});

	test.each<ApiVersion>(['v1', 'v0'])(
		'%s: GET returns every field a create stored, contacts under their singular names',
		async (version) => {
			const body = full(version);
			const record = await get(version, await create(version, body));
			expect(record).toMatchObject({
				closeDate: '2025-12-31T00:00:00.000Z',
				// A day: the node sends midnight UTC of it.
				nextMilestoneDate: '2025-09-01T00:00:00.000Z',
				currency: 'EUR',
				customerContact: body.customerContacts,
				partnerContact: body.partnerContacts,
				customerLegalEntity: { ...body.customerLegalEntity, addressLine1: null },
			});
			expect(record).not.toHaveProperty('customerContacts');
			expect(record).not.toHaveProperty('partnerContacts');
			expect(diffLeadOpportunity(body, record, version)).toEqual({
				patch: undefined,
				changedFields: [],
			});
		},
	);

	test.each<ApiVersion>(['v1', 'v0'])(
		"%s: the diff's PATCH is accepted and yields the desired record, replacing the lists",
		async (version) => {
			const id = await create(version, full(version));
			const desired = createBody(version).parse({
				...full(version),
				leadOpportunity: { ...full(version).leadOpportunity, status: 'WON', description: '' },
				offerLines: [{ offerNameId: 'OFFER-C', amount: 1 }],
				customerContacts: [],
				customerLegalEntity: { name: 'ACME', city: 'Paris', country: 'France' },
			});
			const { patch: body, changedFields } = diffLeadOpportunity(
				desired,
				await get(version, id),
				version,
			);
			expect(changedFields).toEqual([
				'leadOpportunity.status',
				'leadOpportunity.description',
				'offerLines',
				'customerContacts',
				'customerLegalEntity.city',
			]);
			env.clock += 1000;
			const res = await patch(version, id, body);
			expect(res.status).toBe(200);
			const after = await get(version, id);
			expect(after).toMatchObject({
				status: 'WON',
				forecastCategory: 'WON',
				description: '',
				customerContact: [],
				modifiedDate: '2025-08-10T12:00:01.000Z',
			});
			expect(after.offerLines).toHaveLength(1);
			expect(diffLeadOpportunity(desired, after, version).changedFields).toEqual([]);
		},
	);

	test('searches a chunk of 50 partner ids at once, unknown ones included', async () => {
		const known: string[] = [];
		const ids: string[] = [];
		for (let i = 0; i < 10; i++) {
			known.push(`CHUNK-${i}`);
			ids.push(await create('v1', full('v1', `CHUNK-${i}`)));
		}
		const wanted = [...known, ...Array.from({ length: 40 }, (_, i) => `UNKNOWN-${i}`)];
		const res = await call(env.sandbox.url, 'POST', SEARCH, {
			body: { data: [{ partnerLeadOpportunityId: wanted }] },
		});
		expect(res.status).toBe(200);
		expect([...res.body.data[0].dsLeadOpportunityId].sort()).toEqual([...ids].sort());
	});

	test('modifiedDate moves on a write only, even a write of the same values', async () => {
		const body = full('v1');
		const id = await create('v1', body);
		const other = await create('v1', full('v1', 'CRM-OTHER'));
		const stamped = (await get('v1', id)).modifiedDate;
		const changes = env.sandbox.admin.changes().length;
		env.clock += 5000;

		// Reads and failed writes leave it alone.
		await get('v1', id);
		await call(env.sandbox.url, 'POST', SEARCH, {
			body: { data: [{ partnerLeadOpportunityId: ['CRM-FULL', 'CRM-OTHER'] }] },
		});
		const taken = await patch('v1', id, {
			partnerId: body.partnerId,
			leadOpportunity: { partnerLeadOpportunityId: 'CRM-OTHER', name: 'Stolen' },
		});
		expect(taken.status).toBe(400);
		expect(taken.body.errors.code).toBe('ERR801');
		const invalid = await patch('v1', id, {
			partnerId: body.partnerId,
			leadOpportunity: { partnerLeadOpportunityId: 'CRM-FULL', currency: 'euro' },
		});
		expect(invalid.status).toBe(400);
		const duplicate = await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities`, { body });
		expect(duplicate.body.error.code).toBe('ERR801');
		expect((await get('v1', id)).modifiedDate).toBe(stamped);
		expect((await get('v1', other)).name).toBe('Plant digital twin');
		expect(env.sandbox.admin.changes()).toHaveLength(changes);

		// A PATCH that changes nothing is still a write: 3DS must be assumed to stamp it.
		const same = await patch('v1', id, {
			partnerId: body.partnerId,
			leadOpportunity: { partnerLeadOpportunityId: 'CRM-FULL', name: body.leadOpportunity.name },
		});
		expect(same.status).toBe(200);
		expect((await get('v1', id)).modifiedDate).toBe('2025-08-10T12:00:05.000Z');
		expect(env.sandbox.admin.changes()).toHaveLength(changes + 1);
	});

	test.each<ApiVersion>(['v1', 'v0'])(
		'PATCH of an unknown id (%s) answers 400_patch_leads-opportunities: errors, plural',
		async (version) => {
			const res = await patch(version, 'HCRQ-NOPE00', {
				partnerId: '200000000014442',
				leadOpportunity: { partnerLeadOpportunityId: 'CRM-X', name: 'X' },
			});
			expect(res.status).toBe(400);
			expect(res.body).toMatchObject({
				info: { success: false, statusCode: 400 },
				errors: { code: 'ERROR_048', message: 'Leverage Id not in scope of requestor' },
			});
			expect(res.body).not.toHaveProperty('error');
		},
	);

	test.each<ApiVersion>(['v1', 'v0'])(
		'%s over HTTP: a body equals its stored record, and a patch applied yields the desired one',
		async (version) => {
			let n = 0;
			await fc.assert(
				fc.asyncProperty(
					leadBody(version, fc.constant('CRM-P')),
					leadBody(version, fc.constant('CRM-P')),
					async (before, desired) => {
						n++;
						const named = (body: CreateBody) =>
							({
								...body,
								leadOpportunity: {
									...body.leadOpportunity,
									partnerLeadOpportunityId: `CRM-P-${n}`,
								},
							}) as CreateBody;
						const [from, to] = [named(before), named(desired)];
						const id = await create(version, from);
						const stored = await get(version, id);
						expect(diffLeadOpportunity(from, stored, version).changedFields).toEqual(
							ignoredAtCreation(from) ? ['leadOpportunity.forecastCategory'] : [],
						);
						const { patch: body } = diffLeadOpportunity(to, stored, version);
						if (body === undefined) return;
						const res = await patch(version, id, body);
						expect(res.status).toBe(200);
						expect(diffLeadOpportunity(to, await get(version, id), version).changedFields).toEqual(
							[],
						);
					},
				),
				{ numRuns: 40 },
			);
		},
	);

	describe.each(['as-sent', 'midnight'] as const)('days stored %s', (days) => {
		const admin = (body: unknown) =>
			call(env.sandbox.url, 'POST', '/__sandbox/config', { body, key: null });
		// After the sandbox's reset before each test, which puts the configuration back.
		beforeEach(async () => expect((await admin({ days })).status).toBe(200));
		afterEach(async () => expect((await admin({ days: 'as-sent' })).status).toBe(200));

		test.each(['America/New_York', 'Asia/Tokyo'])(
			'a CRM instant at midnight in %s is the same day as a record another client wrote at 05:00Z',
			async (zone) => {
				const pid = `CRM-DAYS-${days}-${zone}`;
				// Another client (or 3DS's UI) wrote the day as an instant of that UTC day.
				const other = full('v1', pid);
				const id = await create('v1', {
					...other,
					leadOpportunity: { ...other.leadOpportunity, closeDate: '2025-12-31T05:00:00.000Z' },
				} as CreateBody);
				const stored = await get('v1', id);
				expect(stored.closeDate).toBe(
					days === 'midnight' ? '2025-12-31T00:00:00.000Z' : '2025-12-31T05:00:00.000Z',
				);
				// The item: the CRM's close day as its local midnight, read in the workflow's zone.
				const raw = full('v1', pid) as unknown as IDataObject;
				const midnight =
					zone === 'Asia/Tokyo' ? '2025-12-30T15:00:00.000Z' : '2025-12-31T05:00:00.000Z';
				const desired = createBody('v1').parse(
					readDaysIn(
						{
							...raw,
							leadOpportunity: { ...(raw.leadOpportunity as IDataObject), closeDate: midnight },
						},
						zone,
					),
				);
				expect(desired.leadOpportunity.closeDate).toBe('2025-12-31T00:00:00.000Z');
				expect(diffLeadOpportunity(desired, stored, 'v1').patch).toBeUndefined();
			},
		);
	});
});
