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
	const action = 'list portfolio items';
	const response = await client.request({
		method: 'GET',
		path: paths.portfolioItems(),
		qs: portfolioQuery.parse(query),
		action,
		itemIndex,
		safeToRetry: true,
	});
	const parsed = responses.portfolioResponse.safeParse(response.body);
	if (!parsed.success) throw client.unexpectedResponse(response, action, itemIndex);
	return {
		items: parsed.data.data,
		total: parsed.data.info?.estimatedSearchCount ?? undefined,
		info: (parsed.data.info ?? undefined) as IDataObject | undefined,
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
