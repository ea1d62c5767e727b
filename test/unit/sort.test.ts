// Sorting of Search and Portfolio Get Many: the API cannot sort, so the node does.
import nock from 'nock';

import { sortBy, sortRules } from '../../nodes/DassaultSales/utils/sort';
import { API, getResult, leadRecord, searchResult } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL, type SentRequest } from '../helpers/n8n';

describe('sortBy', () => {
	it('applies the rules in order, numbers as numbers, empty values last in both directions', () => {
		const rows = [
			{ a: 'b', n: 10 },
			{ a: 'a', n: 9 },
			{ a: null, n: 1 },
			{ a: 'B', n: 2 },
		];
		const asc = sortRules({ property: [{ field: 'a', direction: 'asc' }, { field: 'n' }] }, [
			'a',
			'n',
		]);
		expect(sortBy(rows, asc).map((r) => r.n)).toEqual([9, 2, 10, 1]);
		const desc = sortRules({ property: [{ field: 'n', direction: 'desc' }] }, ['n']);
		expect(sortBy(rows, desc).map((r) => r.n)).toEqual([10, 9, 2, 1]);
	});

	it('ignores rules on fields it does not offer, and anything that is not a rule list', () => {
		expect(sortRules({ property: [{ field: '__proto__' }, { field: 'n' }] }, ['n'])).toEqual([
			{ field: 'n', direction: 'asc' },
		]);
		expect(sortRules('name', ['name'])).toEqual([]);
		expect(sortRules(undefined, ['name'])).toEqual([]);
	});
});

describe('Sort in Search and Portfolio Get Many', () => {
	it('Search sorts the records by status in LEVERAGE order, then by amount descending', async () => {
		const records = {
			A: leadRecord('AAAA-000001', { status: 'WON' }),
			B: leadRecord('AAAA-000002', { status: 'LEAD_OPEN' }),
			C: leadRecord('AAAA-000003', {
				status: 'LEAD_OPEN',
				offerLines: [{ offerNameId: 'X', amount: 9000, revenueType: 'PxC' }],
			}),
			D: leadRecord('AAAA-000004', { status: 'OPPY_OPEN' }),
		};
		const scope = nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, searchResult(...Object.values(records).map((r) => r.dsLeadOpportunityId)));
		for (const record of Object.values(records))
			scope
				.get(`${API}/v1/leads-opportunities/${record.dsLeadOpportunityId}`)
				.reply(200, getResult(record));
		const output = await runNode({
			parameters: {
				resource: 'leadOpportunity',
				operation: 'search',
				filters: { partnerLeadOpportunityIds: 'OPPY-1004526' },
				output: 'records',
				returnAll: true,
				sort: {
					property: [
						{ field: 'status', direction: 'asc' },
						{ field: 'amount', direction: 'desc' },
					],
				},
				options: {},
			},
		});
		expect(output.map((item) => item.json.dsLeadOpportunityId)).toEqual([
			'AAAA-000003',
			'AAAA-000002',
			'AAAA-000004',
			'AAAA-000001',
		]);
	});

	it('Portfolio Get Many with a sort reads every page, then sorts, then cuts to the Limit', async () => {
		const item = (n: number) => ({
			salesPortfolioId: `ID${n}`,
			salesPortfolioType: 'Brand',
			salesPortfolioInfrastructure: 'On Cloud',
			salesPortfolioisOrderable: true,
			salesPortfolioLevel1: 'CATIA',
			salesPortfolioLevel2: 'Design',
			salesPortfolioLevel3: `Role ${n}`,
		});
		const sent: SentRequest[] = [];
		for (const skip of [0, 1000])
			nock(TEST_BASE_URL)
				.get(`${API}/v0/portfolio-items/search`)
				.query({ skip, top: 1000 })
				.reply(200, {
					data: Array.from({ length: skip === 0 ? 1000 : 500 }, (_, i) => item(skip + i)),
					info: { success: true, statusCode: 200, timeStamp: 'x', estimatedSearchCount: 1500 },
				});
		const output = await runNode({
			parameters: {
				resource: 'portfolioItem',
				operation: 'getMany',
				returnAll: false,
				limit: 3,
				filters: {},
				simplify: true,
				sort: { property: [{ field: 'name', direction: 'desc' }] },
			},
			sent,
		});
		expect(sent).toHaveLength(2);
		// "Role 1499" > "Role 1498" > … with numeric collation.
		expect(output.map((i) => i.json.offerNameId)).toEqual(['ID1499', 'ID1498', 'ID1497']);
	});
});
