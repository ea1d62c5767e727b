// Lead-opportunity operations on the shared v0/v1 store: create, get, update (merge), search.
import {
	call,
	createBodyV0,
	createBodyV1,
	partnerId,
	patchBody,
	SEARCH,
	useSandbox,
	V0,
	V1,
	window,
} from './helpers';

const T0 = Date.parse('2025-08-10T12:00:00.000Z');
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('lead-opportunities', () => {
	const env = useSandbox({ clock: T0, reset: true });

	const create = async (version: 'v0' | 'v1', body: Record<string, unknown>) => {
		const res = await call(
			env.sandbox.url,
			'POST',
			`${version === 'v0' ? V0 : V1}/leads-opportunities`,
			{ body },
		);
		expect(res.status).toBe(201);
		return res.body.dsLeadOpportunityId as string;
	};
	const get = async (version: 'v0' | 'v1', id: string) => {
		const res = await call(
			env.sandbox.url,
			'GET',
			`${version === 'v0' ? V0 : V1}/leads-opportunities/${id}`,
		);
		expect(res.status).toBe(200);
		return res.body.data.leadOpportunity;
	};
	const search = async (...data: unknown[]) => {
		const res = await call(env.sandbox.url, 'POST', SEARCH, { body: { data } });
		expect(res.status).toBe(200);
		return res.body.data[0].dsLeadOpportunityId as string[];
	};

	test('create answers the flat 201 with a 3DS-style id', async () => {
		const pid = partnerId();
		const res = await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities`, {
			body: createBodyV1(pid),
		});
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			partnerLeadOpportunityId: pid,
			dsLeadOpportunityId: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{6}$/),
			action: 'create',
			info: { success: true, statusCode: 201, timestamp: null, traceId: null },
			error: null,
		});
	});

	test('GET returns the record in the GET shape, with the creation defaults and dates', async () => {
		const pid = partnerId();
		env.clock = T0 + 1234;
		const id = await create(
			'v1',
			createBodyV1(pid, {
				customerContacts: [{ email: 'a@b.c', firstName: 'A', lastName: 'B', extra: 'dropped' }],
			}),
		);
		const res = await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/${id}`);
		expect(res.body.info).toEqual({
			success: true,
			statusCode: 200,
			timeStamp: null,
			traceId: null,
		});
		expect(res.body.error).toBeNull();
		const lead = res.body.data.leadOpportunity;
		expect(lead).toMatchObject({
			partnerLeadOpportunityId: pid,
			dsLeadOpportunityId: id,
			status: 'LEAD_OPEN',
			forecastCategory: 'EMPTY',
			dsOwnerEmail: 'john.doe@3ds.com',
			reasonWon: ['STRNG_VAL_PROP'],
			reasonLost: ['NO_PROJECT'],
			closeDate: '2025-06-01T18:46:51.326Z',
			nextMilestoneDate: '',
			currency: 'EUR',
			createdDate: '2025-08-10T12:00:01.234Z',
			modifiedDate: '2025-08-10T12:00:01.234Z',
			customerContact: [{ email: 'a@b.c', firstName: 'A', lastName: 'B' }],
			partnerContact: null,
			customerLegalEntity: {
				name: 'NEW CUSTOMER CORPORATION',
				city: 'Stockdorf',
				country: 'Germany',
				id: null,
				zipCode: null,
			},
		});
		expect(lead).not.toHaveProperty('customerContacts');
		expect(lead.createdDate).toMatch(ISO_MS);
	});

	test('forecastCategory follows the status matrix', async () => {
		const oppy = await create(
			'v1',
			createBodyV1(partnerId(), { leadOpportunity: { status: 'OPPY_OPEN' } }),
		);
		const commit = await create(
			'v1',
			createBodyV1(partnerId(), {
				leadOpportunity: { status: 'VALIDATED', forecastCategory: 'COMMIT' },
			}),
		);
		const lead = await create(
			'v1',
			createBodyV1(partnerId(), {
				leadOpportunity: { status: 'QUALIFIED', forecastCategory: 'COMMIT' },
			}),
		);
		const won = await create(
			'v1',
			createBodyV1(partnerId(), { leadOpportunity: { status: 'WON', forecastCategory: 'UPSIDE' } }),
		);
		expect((await get('v1', oppy)).forecastCategory).toBe('UPSIDE');
		expect((await get('v1', commit)).forecastCategory).toBe('COMMIT');
		expect((await get('v1', lead)).forecastCategory).toBe('EMPTY');
		expect((await get('v1', won)).forecastCategory).toBe('WON');
		const pid = (await get('v1', oppy)).partnerLeadOpportunityId;
		await call(env.sandbox.url, 'PATCH', `${V1}/leads-opportunities/${oppy}`, {
			body: patchBody(pid, { status: 'LOST' }),
		});
		expect((await get('v1', oppy)).forecastCategory).toBe('LOST');
	});

	describe('v0 and v1 share the store, with revenue types mapped', () => {
		test.each([
			['UPFRONT', 'PxC', 'UPFRONT'],
			['RENTAL_BOOKING', 'YxC', 'RENTAL_BOOKING'],
			['SERVICES_SIGNING', 'SxC', 'SERVICES_SIGNING'],
			['SUPPORT_SERVICES', 'SUPPORT_SERVICES', 'SUPPORT_SERVICES'],
			['EMPTY', 'EMPTY', 'EMPTY'],
			[undefined, 'EMPTY', 'EMPTY'],
		])('v0 %s reads %s in v1 and %s in v0', async (v0Type, v1Read, v0Read) => {
			const id = await create(
				'v0',
				createBodyV0(partnerId(), {
					offerLines: [
						{ amount: 5, offerNameId: 'OFFER', ...(v0Type ? { revenueType: v0Type } : {}) },
					],
				}),
			);
			expect((await get('v1', id)).offerLines).toEqual([
				{ amount: 5, offerNameId: 'OFFER', revenueType: v1Read },
			]);
			expect((await get('v0', id)).offerLines).toEqual([
				{ amount: 5, offerNameId: 'OFFER', revenueType: v0Read },
			]);
		});

		test.each([
			['PxC', 'UPFRONT'],
			['YxC', 'RENTAL_BOOKING'],
			['QxC', 'RENTAL_BOOKING'],
			[undefined, 'UPFRONT'],
		])('v1 %s reads %s in v0 (dates only in v1)', async (v1Type, v0Read) => {
			const line = {
				offerNameId: 'OFFER',
				startDate: '2025-09-01',
				endDate: '2026-08-31',
				...(v1Type ? { revenueType: v1Type } : {}),
			};
			const id = await create('v1', createBodyV1(partnerId(), { offerLines: [line] }));
			expect((await get('v1', id)).offerLines).toEqual([{ ...line, revenueType: v1Type ?? 'PxC' }]);
			expect((await get('v0', id)).offerLines).toEqual([
				{ offerNameId: 'OFFER', revenueType: v0Read },
			]);
		});

		test('a v0 update is seen by v1 GET and the reverse', async () => {
			const pid = partnerId();
			const id = await create('v1', createBodyV1(pid));
			await call(env.sandbox.url, 'PATCH', `${V0}/leads-opportunities/${id}`, {
				body: patchBody(pid, { name: 'via v0' }),
			});
			expect((await get('v1', id)).name).toBe('via v0');
			await call(env.sandbox.url, 'PATCH', `${V1}/leads-opportunities/${id}`, {
				body: patchBody(pid, { name: 'via v1' }),
			});
			expect((await get('v0', id)).name).toBe('via v1');
		});
	});

	describe('update', () => {
		test('merges only the fields sent and bumps modifiedDate', async () => {
			const pid = partnerId();
			const id = await create(
				'v1',
				createBodyV1(pid, {
					partnerContacts: [
						{ salesRepEmail: 'r@p.com', salesRepFirstName: 'R', salesRepLastName: 'P' },
					],
				}),
			);
			const before = await get('v1', id);
			env.clock = T0 + 60_000;
			const res = await call(env.sandbox.url, 'PATCH', `${V1}/leads-opportunities/${id}`, {
				body: patchBody(
					pid,
					{
						status: 'QUALIFIED',
						nextMilestone: 'Customer Demo',
						nextMilestoneDate: '2025-09-01T09:00:00+02:00',
					},
					{
						customerLegalEntity: {
							name: 'NEW CUSTOMER CORPORATION',
							city: 'Stockdorf',
							country: 'Germany',
							zipCode: '82131',
						},
					},
				),
			});
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				data: { partnerLeadOpportunityId: pid, dsLeadOpportunityId: id, action: 'update' },
				info: { success: true, statusCode: 200, timeStamp: null, traceId: null },
				error: null,
			});
			const after = await get('v1', id);
			expect(after).toEqual({
				...before,
				status: 'QUALIFIED',
				nextMilestone: 'Customer Demo',
				nextMilestoneDate: '2025-09-01T07:00:00.000Z',
				customerLegalEntity: { ...before.customerLegalEntity, zipCode: '82131' },
				modifiedDate: '2025-08-10T12:01:00.000Z',
			});
		});

		test('offerLines and contacts, when sent, replace the stored lists', async () => {
			const pid = partnerId();
			const id = await create('v1', createBodyV1(pid));
			await call(env.sandbox.url, 'PATCH', `${V1}/leads-opportunities/${id}`, {
				body: patchBody(
					pid,
					{},
					{
						offerLines: [{ offerNameId: 'A', revenueType: 'YxC' }, { offerNameId: 'B' }],
						customerContacts: [{ email: 'x@y.z', firstName: 'X', lastName: 'Y' }],
					},
				),
			});
			const lead = await get('v1', id);
			expect(lead.offerLines).toEqual([
				{ offerNameId: 'A', revenueType: 'YxC' },
				{ offerNameId: 'B', revenueType: 'PxC' },
			]);
			expect(lead.customerContact).toEqual([{ email: 'x@y.z', firstName: 'X', lastName: 'Y' }]);
		});

		test('modifiedDate never goes backwards, even if the clock does', async () => {
			const pid = partnerId();
			env.clock = T0 + 10_000;
			const id = await create('v1', createBodyV1(pid));
			env.clock = T0;
			await call(env.sandbox.url, 'PATCH', `${V1}/leads-opportunities/${id}`, {
				body: patchBody(pid, { name: 'later' }),
			});
			expect((await get('v1', id)).modifiedDate).toBe('2025-08-10T12:00:10.000Z');
		});

		test('a partner id sent on an unassigned marketing lead assigns it', async () => {
			const [marketing] = env.sandbox.admin.createMarketingLeads(1, { emptyPartnerId: false });
			expect(await search({ partnerLeadOpportunityId: '' })).toContain(
				marketing.dsLeadOpportunityId,
			);
			const pid = partnerId('CLAIM');
			const res = await call(
				env.sandbox.url,
				'PATCH',
				`${V1}/leads-opportunities/${marketing.dsLeadOpportunityId}`,
				{ body: patchBody(pid, { status: 'QUALIFIED' }) },
			);
			expect(res.status).toBe(200);
			expect(await search({ partnerLeadOpportunityId: '' })).not.toContain(
				marketing.dsLeadOpportunityId,
			);
			expect(await search({ partnerLeadOpportunityId: pid })).toEqual([
				marketing.dsLeadOpportunityId,
			]);
		});
	});

	describe('search', () => {
		test('the modifiedDate window is inclusive on both ends', async () => {
			env.clock = Date.parse('2030-01-01T00:00:00.000Z');
			const first = await create('v1', createBodyV1(partnerId()));
			env.clock = Date.parse('2030-01-01T00:00:05.000Z');
			const last = await create('v1', createBodyV1(partnerId()));
			expect(await search(window('2030-01-01T00:00:00.000Z', '2030-01-01T00:00:05.000Z'))).toEqual([
				first,
				last,
			]);
			expect(await search(window('2030-01-01T00:00:00.001Z', '2030-01-01T00:00:05Z'))).toEqual([
				last,
			]);
			expect(await search(window('2030-01-01T00:00:00Z', '2030-01-01T00:00:04.999Z'))).toEqual([
				first,
			]);
		});

		test('orders by modifiedDate ascending, then by id', async () => {
			env.clock = Date.parse('2030-02-01T00:00:00.000Z');
			const sameTime = [
				await create('v1', createBodyV1(partnerId())),
				await create('v1', createBodyV1(partnerId())),
			];
			env.clock -= 1000;
			const earlier = await create('v1', createBodyV1(partnerId()));
			expect(await search(window('2030-01-31T00:00:00Z', '2030-02-02T00:00:00Z'))).toEqual([
				earlier,
				...sameTime.sort(),
			]);
		});

		test('partnerLeadOpportunityId takes a string or an array', async () => {
			const [a, b] = [partnerId(), partnerId()];
			const ids = [await create('v1', createBodyV1(a)), await create('v1', createBodyV1(b))];
			expect(await search({ partnerLeadOpportunityId: a })).toEqual([ids[0]]);
			expect((await search({ partnerLeadOpportunityId: [a, b, 'UNKNOWN'] })).sort()).toEqual(
				[...ids].sort(),
			);
			expect(await search({ partnerLeadOpportunityId: ['UNKNOWN'] })).toEqual([]);
		});

		test('"" finds the leads without partner id, absent or empty', async () => {
			const unassigned = env.sandbox.admin.listLeads().filter((l) => !l.partnerLeadOpportunityId);
			expect(unassigned.some((l) => l.partnerLeadOpportunityId === '')).toBe(true);
			expect(unassigned.some((l) => !('partnerLeadOpportunityId' in l))).toBe(true);
			const found = await search({ partnerLeadOpportunityId: '' });
			expect([...found].sort()).toEqual(unassigned.map((l) => l.dsLeadOpportunityId).sort());
		});

		test('criteria in separate elements combine with AND', async () => {
			const pid = partnerId();
			env.clock = Date.parse('2030-03-01T00:00:00.000Z');
			const id = await create('v1', createBodyV1(pid));
			expect(
				await search(
					{ partnerLeadOpportunityId: [pid] },
					window('2030-02-28T00:00:00Z', '2030-03-02T00:00:00Z'),
				),
			).toEqual([id]);
			expect(
				await search(
					{ partnerLeadOpportunityId: [pid] },
					window('2030-03-02T00:00:00Z', '2030-03-03T00:00:00Z'),
				),
			).toEqual([]);
			// Both criteria in one element also AND.
			expect(
				await search({
					partnerLeadOpportunityId: pid,
					...window('2030-02-28T00:00:00Z', '2030-03-02T00:00:00Z'),
				}),
			).toEqual([id]);
		});

		test('answers the spec envelope, one element even when nothing matches', async () => {
			const res = await call(env.sandbox.url, 'POST', SEARCH, {
				body: { data: [window('2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z')] },
			});
			expect(res.body).toEqual({
				data: [{ dsLeadOpportunityId: [] }],
				info: {
					success: true,
					statusCode: 200,
					timeStamp: '2025-08-10T12:00:00Z',
					traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
				},
				error: null,
			});
		});

		test('finds the seeded leads modified in a window, as the store has them', async () => {
			const from = T0 - 7 * 24 * 3600_000;
			const expected = env.sandbox.admin
				.listLeads()
				.filter((l) => Date.parse(l.modifiedDate) >= from)
				.sort(
					(x, y) =>
						Date.parse(x.modifiedDate) - Date.parse(y.modifiedDate) ||
						(x.dsLeadOpportunityId < y.dsLeadOpportunityId ? -1 : 1),
				)
				.map((l) => l.dsLeadOpportunityId);
			expect(expected.length).toBeGreaterThan(5);
			expect(
				await search(window(new Date(from).toISOString(), new Date(T0).toISOString())),
			).toEqual(expected);
		});
	});
});
