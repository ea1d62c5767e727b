import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { matchesText, portfolioItemName } from '../helpers/portfolioMatching';
import { DassaultSalesClient, getPortfolioPage } from '../transport';

/** Results per page of the dropdown. */
const PAGE = 100;

/**
 * The offer picker: the live portfolio, searchable by name, levels and id. The API cannot filter,
 * so the list is read in one call (about 3,000 items) and filtered here; the pagination token is
 * the offset in the filtered list.
 */
export async function searchPortfolioOffers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new DassaultSalesClient(this, {
		retry: { rateLimitRetries: 1, rateLimitWaitBudgetMs: 60_000, unavailableRetries: 1 },
	});
	const { items } = await getPortfolioPage(client, { skip: 0, top: 9999 });
	const matching = items.filter((item) => item.salesPortfolioId && matchesText(item, filter));
	const start = Number(paginationToken ?? 0) || 0;
	const page = matching.slice(start, start + PAGE);
	return {
		results: page.map((item) => ({
			name: `${portfolioItemName(item) || item.salesPortfolioId}${item.salesPortfolioInfrastructure ? ` (${item.salesPortfolioInfrastructure})` : ''}`,
			value: item.salesPortfolioId as string,
		})),
		paginationToken: start + PAGE < matching.length ? String(start + PAGE) : undefined,
	};
}
