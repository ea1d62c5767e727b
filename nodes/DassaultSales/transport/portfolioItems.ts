import type { IDataObject } from 'n8n-workflow';

import { portfolioQuery, responses } from '../schemas';
import type { PortfolioItem } from '../schemas/responses';
import type { DassaultSalesClient } from './client';
import { paths } from './paths';

/** One page of `GET portfolio-items/search` (skip/top paging; the API offers no filter). */
export async function getPortfolioPage(
	client: DassaultSalesClient,
	query: { skip: number; top: number },
	itemIndex?: number,
): Promise<{ items: PortfolioItem[]; total?: number; info?: IDataObject }> {
	const { data } = await client.requestParsed(
		{
			method: 'GET',
			path: paths.portfolioItems(),
			qs: portfolioQuery.parse(query),
			action: 'list portfolio items',
			itemIndex,
			safeToRetry: true,
		},
		responses.portfolioResponse,
	);
	return {
		items: data.data,
		total: data.info?.estimatedSearchCount ?? undefined,
		info: (data.info ?? undefined) as IDataObject | undefined,
	};
}

/**
 * Pages through the portfolio, `pageSize` at a time, until `keep` returns false or the items run
 * out. The API's count is an estimate, so a short page (not the count) marks the end.
 */
export async function forEachPortfolioPage(
	client: DassaultSalesClient,
	pageSize: number,
	keep: (items: PortfolioItem[]) => boolean,
	itemIndex?: number,
): Promise<void> {
	for (let skip = 0; ; skip += pageSize) {
		const { items } = await getPortfolioPage(client, { skip, top: pageSize }, itemIndex);
		if (!keep(items) || items.length < pageSize) return;
	}
}
