// GET portfolio-items/search: a seeded catalog with skip/top paging.
import type { PortfolioItem } from '../../sandbox';
import { call, PORTFOLIO, start, useSandbox } from './helpers';

describe('portfolio-items', () => {
	const env = useSandbox();
	let items: PortfolioItem[];

	beforeAll(() => {
		items = env.sandbox.admin.portfolioItems();
	});

	test('without parameters returns everything (top defaults to 9999), with the total', async () => {
		const res = await call(env.sandbox.url, 'GET', PORTFOLIO);
		expect(res.status).toBe(200);
		expect(res.body.data).toEqual(items);
		expect(res.body.info).toEqual({
			success: true,
			statusCode: 200,
			estimatedSearchCount: 3049,
			timeStamp: expect.stringMatching(/^\d{4}-.*T\d{2}:\d{2}:\d{2}\.000Z$/),
		});
	});

	test('pages with skip and top, and the pages add up to the whole catalog', async () => {
		const pages: PortfolioItem[] = [];
		for (let skip = 0; skip < 3049; skip += 1000) {
			const res = await call(env.sandbox.url, 'GET', `${PORTFOLIO}?skip=${skip}&top=1000`);
			expect(res.body.info.estimatedSearchCount).toBe(3049);
			pages.push(...res.body.data);
		}
		expect(pages).toEqual(items);
		expect((await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=2`)).body.data).toEqual(
			items.slice(0, 2),
		);
		expect((await call(env.sandbox.url, 'GET', `${PORTFOLIO}?skip=3048&top=5`)).body.data).toEqual(
			items.slice(3048),
		);
		expect((await call(env.sandbox.url, 'GET', `${PORTFOLIO}?skip=5000`)).body.data).toEqual([]);
	});

	test('items look like the real catalog', () => {
		expect(items).toHaveLength(3049);
		expect(new Set(items.map((i) => i.salesPortfolioId)).size).toBe(3049);
		const misfits = items.filter(
			(i) =>
				!/^CLASS\d{5}_(ONPR|ONCL)_[A-Z0-9]+_SOL\d{6}$/.test(i.salesPortfolioId) ||
				i.salesPortfolioId.includes('_ONCL_') !== (i.salesPortfolioInfrastructure === 'On Cloud'),
		);
		expect(misfits).toEqual([]);
		const level1 = new Set(items.map((i) => i.salesPortfolioLevel1));
		for (const brand of [
			'CATIA',
			'SOLIDWORKS',
			'ENOVIA',
			'SIMULIA',
			'DELMIA',
			'3DEXPERIENCE',
			'GEOVIA',
			'BIOVIA',
		])
			expect(level1).toContain(brand);
		expect(new Set(items.map((i) => i.salesPortfolioInfrastructure))).toEqual(
			new Set(['On Premise', 'On Cloud']),
		);
		expect(new Set(items.map((i) => i.salesPortfolioisOrderable))).toEqual(new Set([true, false]));
		expect(new Set(items.map((i) => i.salesPortfolioType))).toContain('Brand');
		// A level-2 line always sits under one level-1 brand.
		const parents = new Map<string, Set<string>>();
		for (const i of items)
			parents.set(
				i.salesPortfolioLevel2,
				(parents.get(i.salesPortfolioLevel2) ?? new Set()).add(i.salesPortfolioLevel1),
			);
		expect([...parents.values()].filter((p) => p.size > 1)).toEqual([]);
	});

	test('the catalog size is an option', async () => {
		const small = await start({ portfolioItemCount: 10 });
		try {
			const res = await call(small.url, 'GET', `${PORTFOLIO}?top=3`);
			expect(res.body.data).toHaveLength(3);
			expect(res.body.info.estimatedSearchCount).toBe(10);
		} finally {
			await small.stop();
		}
	});
});
