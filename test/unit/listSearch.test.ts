import nock from 'nock';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import {
	PICKER_LOOK_BACK_DAYS,
	searchLeadOpportunities,
	searchPortfolioOffers,
} from '../../nodes/DassaultSales/methods/listSearch';
import { API, getResult, leadRecord, searchResult } from '../helpers/fixtures';
import { executeFunctions, TEST_BASE_URL } from '../helpers/n8n';

const items = Array.from({ length: 250 }, (_, n) => ({
	salesPortfolioId: `ID${n}`,
	salesPortfolioType: 'Brand',
	salesPortfolioInfrastructure: 'On Cloud',
	salesPortfolioisOrderable: true,
	salesPortfolioLevel1: n % 2 ? 'SOLIDWORKS' : '3DEXPERIENCE',
	salesPortfolioLevel2: 'Simulation',
	salesPortfolioLevel3: `Role ${n}`,
}));

describe('offer picker (listSearch)', () => {
	const context = () => executeFunctions({ parameters: {} }) as unknown as ILoadOptionsFunctions;
	const reply = () =>
		nock(TEST_BASE_URL)
			.get(`${API}/v0/portfolio-items/search`)
			.query({ skip: 0, top: 9999 })
			.reply(200, {
				data: items,
				info: { success: true, statusCode: 200, timeStamp: 'x', estimatedSearchCount: 250 },
			});

	it('pages the whole portfolio 100 at a time, named by its levels', async () => {
		reply();
		const first = await searchPortfolioOffers.call(context());
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({
			name: '3DEXPERIENCE › Simulation › Role 0 (On Cloud)',
			value: 'ID0',
			description: 'Brand · orderable · ID0',
		});
		expect(first.paginationToken).toBe('100');
		reply();
		const last = await searchPortfolioOffers.call(context(), undefined, '200');
		expect(last.results).toHaveLength(50);
		expect(last.paginationToken).toBeUndefined();
	});

	it('searches every word in the id, type and levels', async () => {
		reply();
		const found = await searchPortfolioOffers.call(context(), 'solidworks  ROLE 17');
		// Odd ids are SOLIDWORKS; "17" appears in Role 17, 117, 170–179 and 217.
		expect(found.results.map((r) => r.value)).toEqual([
			'ID17',
			'ID117',
			'ID171',
			'ID173',
			'ID175',
			'ID177',
			'ID179',
			'ID217',
		]);
	});
});

describe('currency dropdown (loadOptions)', () => {
	it('lists the ISO 4217 codes the runtime knows, named, sorted, without calling the API', async () => {
		const { getCurrencies } = await import('../../nodes/DassaultSales/methods/loadOptions');
		const options = await getCurrencies.call({} as ILoadOptionsFunctions);
		expect(options).toContainEqual({ name: 'EUR (Euro)', value: 'EUR' });
		expect(options).toContainEqual({ name: 'INR (Indian Rupee)', value: 'INR' });
		expect(options.map((o) => o.value)).toEqual([...Intl.supportedValuesOf('currency')].sort());
	});
});

describe('lead-opportunity picker (listSearch)', () => {
	const context = () => executeFunctions({ parameters: {} }) as unknown as ILoadOptionsFunctions;
	const DAY = 24 * 60 * 60 * 1000;
	const NOW = Date.parse('2026-11-30T12:00:00.000Z');
	// 40 leads, 8 per 7-day window (oldest window first, as the node searches); every 4th is ACME's.
	const id = (n: number) => `LEAD-${String(n).padStart(6, '0')}`;
	const windows: Array<{ fromDate: string; toDate: string }> = [];
	const reply = (reads: number[]) => {
		const scope = nock(TEST_BASE_URL);
		for (let w = 0; w < 5; w++)
			scope
				.post(`${API}/v0/leads-opportunities/search`, (body) => {
					windows.push(body.data[0].modifiedDate);
					return true;
				})
				.reply(200, searchResult(...Array.from({ length: 8 }, (_, k) => id(w * 8 + k))));
		for (const n of reads)
			scope.get(`${API}/v1/leads-opportunities/${id(n)}`).reply(
				200,
				getResult(
					leadRecord(id(n), {
						name: n % 4 === 0 ? `ACME deal ${n}` : `Other deal ${n}`,
						status: n % 2 ? 'QUALIFIED' : 'OPPY_OPEN',
						partnerLeadOpportunityId: `CRM-${n}`,
					}),
				),
			);
	};
	let now: jest.SpyInstance;
	beforeEach(() => {
		windows.length = 0;
		now = jest.spyOn(Date, 'now').mockReturnValue(NOW);
	});
	afterEach(() => now.mockRestore());

	it('lists the last 30 days, newest first, as "name — status", a page of at least 20', async () => {
		reply(Array.from({ length: 24 }, (_, k) => 39 - k));
		const first = await searchLeadOpportunities.call(context());
		expect(windows[0].fromDate).toBe(new Date(NOW - PICKER_LOOK_BACK_DAYS * DAY).toISOString());
		expect(windows.at(-1)!.toDate).toBe(new Date(NOW).toISOString());
		// Records are read 8 at a time, so a page holds whole batches: 24 entries here.
		expect(first.results).toHaveLength(24);
		expect(first.results[0]).toEqual({
			name: 'Other deal 39 — QUALIFIED (-5 Qualified)',
			value: id(39),
			description: '3DS ID LEAD-000039 · CRM ID CRM-39 · NEW CUSTOMER CORPORATION',
		});
		expect(first.results[1].name).toBe('Other deal 38 — OPPY_OPEN (-3 Open)');
		expect(first.paginationToken).toBe('24');
		reply(Array.from({ length: 16 }, (_, k) => 15 - k));
		const last = await searchLeadOpportunities.call(context(), undefined, first.paginationToken);
		expect(last.results.map((r) => r.value)).toEqual(
			Array.from({ length: 16 }, (_, k) => id(15 - k)),
		);
		expect(last.paginationToken).toBeUndefined();
	});

	it('keeps only the leads whose name, ids, status or customer hold every typed word', async () => {
		reply(Array.from({ length: 40 }, (_, k) => 39 - k));
		const page = await searchLeadOpportunities.call(context(), '  acme OPPY_open ');
		expect(page.results.map((r) => r.value)).toEqual([36, 32, 28, 24, 20, 16, 12, 8, 4, 0].map(id));
		expect(page.paginationToken).toBeUndefined();
	});
});
