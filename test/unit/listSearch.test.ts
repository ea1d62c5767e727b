import nock from 'nock';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchPortfolioOffers } from '../../nodes/DassaultSales/methods/listSearch';
import { API } from '../helpers/fixtures';
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
