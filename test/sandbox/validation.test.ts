// Request validation: the spec's schemas (Ajv) and prose rules, answered with the spec's codes and
// envelopes, or the sandbox's own SANDBOX_* codes where the spec gives none.
import {
	call,
	createBodyV0,
	createBodyV1,
	partnerId,
	patchBody,
	PORTFOLIO,
	SEARCH,
	useSandbox,
	V0,
	V1,
	window,
} from './helpers';

describe('validation and error codes', () => {
	const env = useSandbox();
	let leadId: string;
	let leadPartnerId: string;

	beforeAll(() => {
		const lead = env.sandbox.admin.listLeads().find((l) => l.partnerLeadOpportunityId)!;
		leadId = lead.dsLeadOpportunityId;
		leadPartnerId = lead.partnerLeadOpportunityId!;
	});

	const post = (path: string, body: unknown) => call(env.sandbox.url, 'POST', path, { body });
	const createV1 = (body: unknown) => post(`${V1}/leads-opportunities`, body);
	const createV0 = (body: unknown) => post(`${V0}/leads-opportunities`, body);
	const patch = (version: string, id: string, body: unknown) =>
		call(env.sandbox.url, 'PATCH', `${version}/leads-opportunities/${id}`, { body });
	const search = (body: unknown) => post(SEARCH, body);

	describe('create', () => {
		test.each([
			[
				'a missing required field',
				{ leadOpportunity: { name: undefined } },
				"/leadOpportunity must have required property 'name'",
			],
			[
				'an unknown status',
				{ leadOpportunity: { status: 'OPEN' } },
				'/leadOpportunity/status must be equal to one of the allowed values',
			],
			[
				'a v0 revenue type in v1',
				{ offerLines: [{ offerNameId: 'X', revenueType: 'UPFRONT' }] },
				'/offerLines/0/revenueType must be equal to one of the allowed values',
			],
			['no offer line', { offerLines: [] }, '/offerLines must NOT have fewer than 1 items'],
			[
				'a lower-case currency',
				{ leadOpportunity: { currency: 'eur' } },
				'/leadOpportunity/currency must match pattern',
			],
			[
				'a bad offer startDate',
				{ offerLines: [{ offerNameId: 'X', revenueType: 'YxC', startDate: '2025-13-01' }] },
				'/offerLines/0/startDate must match format "date"',
			],
		])(
			'400 SANDBOX_SCHEMA for %s, with the Ajv errors in the message',
			async (_name, overrides, fragment) => {
				const body = createBodyV1(partnerId(), overrides);
				const res = await createV1(body);
				expect(res.status).toBe(400);
				expect(res.body).toEqual({
					data: null,
					info: {
						success: false,
						statusCode: 400,
						timeStamp: expect.any(String),
						traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
					},
					error: { code: 'SANDBOX_SCHEMA', message: expect.stringContaining(fragment) },
				});
			},
		);

		test('400 SANDBOX_SCHEMA for a v1 revenue type in v0, and for a body that is not an object', async () => {
			const v0 = await createV0(
				createBodyV0(partnerId(), { offerLines: [{ offerNameId: 'X', revenueType: 'PxC' }] }),
			);
			expect(v0.body.error.code).toBe('SANDBOX_SCHEMA');
			const array = await createV1([1]);
			expect(array.body.error).toEqual({
				code: 'SANDBOX_SCHEMA',
				message: expect.stringContaining('must be object'),
			});
			const empty = await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities`);
			expect(empty.body.error.code).toBe('SANDBOX_SCHEMA');
		});

		test('400 SANDBOX_INVALID_JSON for a body that is not JSON', async () => {
			const res = await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities`, {
				raw: '{"partnerId": ',
			});
			expect(res.status).toBe(400);
			expect(res.body.error.code).toBe('SANDBOX_INVALID_JSON');
		});

		test('400 SANDBOX_CURRENCY for a well-formed code that is not ISO 4217', async () => {
			const res = await createV1(
				createBodyV1(partnerId(), { leadOpportunity: { currency: 'XYZ' } }),
			);
			expect(res.status).toBe(400);
			expect(res.body.error).toEqual({
				code: 'SANDBOX_CURRENCY',
				message: 'currency XYZ is not an ISO 4217 currency code',
			});
			expect(
				(await createV1(createBodyV1(partnerId(), { leadOpportunity: { currency: 'JPY' } })))
					.status,
			).toBe(201);
		});

		test('400 ERR801 for a partner id that exists, across v0 and v1', async () => {
			const pid = partnerId();
			expect((await createV1(createBodyV1(pid))).status).toBe(201);
			const res = await createV0(createBodyV0(pid));
			expect(res.status).toBe(400);
			expect(res.body).toEqual({
				data: { partnerLeadOpportunityId: null, dsLeadOpportunityId: null, action: null },
				info: {
					success: false,
					statusCode: 400,
					timeStamp: expect.any(String),
					traceId: expect.any(String),
				},
				error: {
					code: 'ERR801',
					message: 'Leverage with this Partner External ID DSLeadOpportunityID already exists.',
				},
			});
			expect((await createV1(createBodyV1(leadPartnerId))).body.error.code).toBe('ERR801');
		});

		test.each([
			['closeDate', '2025-06-01'],
			['closeDate', '2025-06-01T18:46:51'],
			['closeDate', '01/06/2025'],
			['closeDate', 20250601],
			['nextMilestoneDate', 'next week'],
		])('406 ERR805 for %s %p', async (field, value) => {
			for (const res of [
				await createV1(createBodyV1(partnerId(), { leadOpportunity: { [field]: value } })),
				await createV0(createBodyV0(partnerId(), { leadOpportunity: { [field]: value } })),
			]) {
				expect(res.status).toBe(406);
				expect(res.body).toEqual({
					info: {
						success: false,
						statusCode: 406,
						timeStamp: expect.any(String),
						traceId: expect.any(String),
					},
					error: {
						code: 'ERR805',
						message:
							'Incorrect Close Date/next milestone date Format. Provide date in ISO8601 format.',
					},
					data: { partnerLeadOpportunityId: null, dsLeadOpportunityId: null, action: null },
				});
			}
		});

		test('accepts ISO 8601 date-times with an offset', async () => {
			const res = await createV1(
				createBodyV1(partnerId(), { leadOpportunity: { closeDate: '2025-06-01T18:46:51+02:00' } }),
			);
			expect(res.status).toBe(201);
			expect(env.sandbox.admin.getLead(res.body.dsLeadOpportunityId)!.closeDate).toBe(
				'2025-06-01T16:46:51.000Z',
			);
		});
	});

	describe('update', () => {
		test("400 SANDBOX_SCHEMA in the PATCH shape (errors, plural) for the spec's own example, which lacks partnerId", async () => {
			const example = {
				leadOpportunity: { partnerLeadOpportunityId: 'CRM-LEAD-1234', status: 'QUALIFIED' },
			};
			for (const version of [V0, V1]) {
				const res = await patch(version, leadId, example);
				expect(res.status).toBe(400);
				expect(res.body).toEqual({
					data: example,
					info: { success: false, statusCode: 400 },
					errors: {
						code: 'SANDBOX_SCHEMA',
						message: expect.stringContaining("must have required property 'partnerId'"),
					},
				});
			}
		});

		test('400 ERROR_048 for an unknown id (PATCH declares no 500)', async () => {
			const res = await patch(V1, 'NOPE-000000', patchBody('X'));
			expect(res.status).toBe(400);
			expect(res.body.errors).toEqual({
				code: 'ERROR_048',
				message: 'Leverage Id not in scope of requestor',
			});
		});

		test('400 ERR801 when the partner id sent belongs to another lead', async () => {
			const other = env.sandbox.admin
				.listLeads()
				.find((l) => l.partnerLeadOpportunityId && l.dsLeadOpportunityId !== leadId)!;
			const res = await patch(V1, leadId, patchBody(other.partnerLeadOpportunityId!));
			expect(res.status).toBe(400);
			expect(res.body.errors.code).toBe('ERR801');
			expect(env.sandbox.admin.getLead(leadId)!.partnerLeadOpportunityId).toBe(leadPartnerId);
		});

		test('406 ERR805 and 400 SANDBOX_CURRENCY, as on create', async () => {
			expect(
				(await patch(V0, leadId, patchBody(leadPartnerId, { closeDate: '2025-06-01' }))).body.error
					.code,
			).toBe('ERR805');
			expect(
				(await patch(V1, leadId, patchBody(leadPartnerId, { currency: 'ABC' }))).body.errors.code,
			).toBe('SANDBOX_CURRENCY');
		});
	});

	describe('get', () => {
		test.each([V0, V1])('500 ERROR_048 for an unknown id (%s)', async (version) => {
			const res = await call(env.sandbox.url, 'GET', `${version}/leads-opportunities/NOPE-000000`);
			expect(res.status).toBe(500);
			expect(res.body).toEqual({
				data: null,
				info: {
					success: false,
					statusCode: 500,
					timeStamp: expect.any(String),
					traceId: expect.any(String),
				},
				error: { code: 'ERROR_048', message: 'Leverage Id not in scope of requestor' },
			});
		});
	});

	describe('search', () => {
		const code = async (body: unknown) => {
			const res = await search(body);
			expect(res.status).toBe(400);
			expect(res.body.data).toBeNull();
			expect(res.body.info).toEqual({
				success: false,
				statusCode: 400,
				timeStamp: expect.stringMatching(/T\d{2}:\d{2}:\d{2}Z$/),
				traceId: expect.any(String),
			});
			return res.body.error.code as string;
		};

		test('400 ERROR_043 when a bound is missing', async () => {
			expect(await code({ data: [{ modifiedDate: { fromDate: '2025-08-04T08:00:00Z' } }] })).toBe(
				'ERROR_043',
			);
			expect(await code({ data: [{ modifiedDate: { toDate: '2025-08-04T08:00:00Z' } }] })).toBe(
				'ERROR_043',
			);
			const res = await search({ data: [{ modifiedDate: {} }] });
			expect(res.body.error.message).toBe(
				'Both startDateTime and endDateTime must be passed as parameters',
			);
		});

		test('400 SANDBOX_NO_CRITERION for an empty data array', async () => {
			expect(await code({ data: [] })).toBe('SANDBOX_NO_CRITERION');
		});

		test('400 SANDBOX_SCHEMA for no data, an element without criterion, or a bad date-time', async () => {
			expect(await code({})).toBe('SANDBOX_SCHEMA');
			expect(await code({ data: [{ status: 'WON' }] })).toBe('SANDBOX_SCHEMA');
			expect(await code({ data: [window('yesterday', '2025-08-04T08:00:00Z')] })).toBe(
				'SANDBOX_SCHEMA',
			);
			expect(await code({ data: [{ partnerLeadOpportunityId: 5 }] })).toBe('SANDBOX_SCHEMA');
		});

		test('400 SANDBOX_NOT_UTC for a bound with an offset', async () => {
			expect(
				await code({ data: [window('2025-08-04T08:00:00+00:00', '2025-08-05T08:00:00Z')] }),
			).toBe('SANDBOX_NOT_UTC');
			expect(
				await code({ data: [window('2025-08-04T08:00:00Z', '2025-08-05T10:00:00+02:00')] }),
			).toBe('SANDBOX_NOT_UTC');
		});

		test('400 SANDBOX_FROM_AFTER_TO; equal bounds are allowed', async () => {
			expect(await code({ data: [window('2025-08-05T08:00:00Z', '2025-08-04T08:00:00Z')] })).toBe(
				'SANDBOX_FROM_AFTER_TO',
			);
			expect(
				(await search({ data: [window('2025-08-05T08:00:00Z', '2025-08-05T08:00:00Z')] })).status,
			).toBe(200);
		});

		test('400 SANDBOX_WINDOW_TOO_LONG past 7 days; exactly 7 days is allowed', async () => {
			expect(
				await code({ data: [window('2025-08-01T08:00:00Z', '2025-08-08T08:00:00.001Z')] }),
			).toBe('SANDBOX_WINDOW_TOO_LONG');
			expect(
				(await search({ data: [window('2025-08-01T08:00:00Z', '2025-08-08T08:00:00Z')] })).status,
			).toBe(200);
		});
	});

	describe('portfolio-items', () => {
		test.each([
			['top=-5', '#top should be a positive, non zero integer'],
			['top=0', '#top should be a positive, non zero integer'],
			['top=abc', '#top should be a positive, non zero integer'],
			['top=1.5', '#top should be a positive, non zero integer'],
			['top=', '#top should be a positive, non zero integer'],
			['skip=-1', '#skip should be a positive or zero integer'],
			['skip=x&top=2', '#skip should be a positive or zero integer'],
		])('400 ERROR_004 for %s', async (query, message) => {
			const res = await call(env.sandbox.url, 'GET', `${PORTFOLIO}?${query}`);
			expect(res.status).toBe(400);
			expect(res.body).toEqual({
				info: {
					success: false,
					statusCode: 400,
					timeStamp: expect.stringMatching(/\.000Z$/),
					estimatedSearchCount: 3049,
				},
				error: { code: 'ERROR_004', message },
			});
		});
	});

	describe('gateway', () => {
		test('401 without X-API-Key, 403 with a key not in the list, neither with rate-limit headers', async () => {
			const missing = await call(env.sandbox.url, 'GET', PORTFOLIO, { key: null });
			expect(missing.status).toBe(401);
			expect(missing.body).toEqual({ message: 'Missing API key in request' });
			expect(missing.headers['x-ratelimit-limit']).toBeUndefined();
			const wrong = await call(env.sandbox.url, 'GET', PORTFOLIO, { key: 'nope' });
			expect(wrong.status).toBe(403);
			expect(wrong.body).toEqual({ message: 'API Consumer Not allowed' });
			expect(wrong.headers['x-ratelimit-limit']).toBeUndefined();
		});

		test('404 for a path the API does not have, and for a wrong method', async () => {
			expect(
				(await call(env.sandbox.url, 'GET', '/sales/api4partners/v2/leads-opportunities/X')).status,
			).toBe(404);
			expect(
				(await call(env.sandbox.url, 'DELETE', `${V1}/leads-opportunities/${leadId}`)).status,
			).toBe(404);
			// There is no v1 search: POST there is no route, GET reads 'search' as an {id}.
			expect(
				(
					await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities/search`, {
						body: { data: [] },
					})
				).status,
			).toBe(404);
			expect((await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/search`)).status).toBe(
				500,
			);
		});
	});
});
