import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { statusOptions } from '../descriptions/options';
import { matchesText, portfolioItemName } from '../helpers/portfolioMatching';
import {
	DassaultSalesClient,
	getLeadOpportunities,
	getPortfolioPage,
	searchIds,
} from '../transport';

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
			description: [
				item.salesPortfolioType,
				item.salesPortfolioisOrderable === false ? 'not orderable' : 'orderable',
				item.salesPortfolioId,
			]
				.filter(Boolean)
				.join(' · '),
		})),
		paginationToken: start + PAGE < matching.length ? String(start + PAGE) : undefined,
	};
}

/**
 * How far back the lead-opportunity picker looks: 30 days, the trigger's "Past Month". A deal
 * someone is working on is touched within a month (a status, a close date, a milestone), and 30
 * days is five 7-day searches, cheap enough for a dropdown. Older ones: By 3DS ID or By Partner
 * Lead-Opportunity ID.
 */
export const PICKER_LOOK_BACK_DAYS = 30;

/** Entries per page, and records read (GET) at most per page while looking for matches. */
const LEAD_PAGE = 20;
const MAX_READS_PER_PAGE = 100;

const STATUS_NAMES = new Map(statusOptions.map((option) => [option.value, option.name]));

const leadMatches = (record: IDataObject, words: string[]) => {
	const customer = record.customerLegalEntity as IDataObject | null | undefined;
	const haystack = [
		record.name,
		record.dsLeadOpportunityId,
		record.partnerLeadOpportunityId,
		record.status,
		customer?.name,
	]
		.join(' ')
		.toLowerCase();
	return words.every((word) => haystack.includes(word));
};

/** Under each entry: the 3DS id, the CRM id and the customer, the ways users tell deals apart. */
const leadDescription = (record: IDataObject) => {
	const customer = record.customerLegalEntity as IDataObject | null | undefined;
	return [
		`3DS ID ${String(record.dsLeadOpportunityId)}`,
		record.partnerLeadOpportunityId
			? `CRM ID ${String(record.partnerLeadOpportunityId)}`
			: 'no CRM ID',
		customer?.name ? String(customer.name) : undefined,
	]
		.filter(Boolean)
		.join(' · ');
};

/**
 * The lead-opportunity picker: those modified in the last 30 days, newest first, as "name —
 * status", filtered by every typed word (in the name, either id, the status or the customer). The
 * search gives ids only, so records are read a batch at a time until a page is full; the
 * pagination token is the position in the id list where the next page starts.
 */
export async function searchLeadOpportunities(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new DassaultSalesClient(this, {
		retry: { rateLimitRetries: 1, rateLimitWaitBudgetMs: 60_000, unavailableRetries: 1 },
	});
	const now = Date.now();
	const from = now - PICKER_LOOK_BACK_DAYS * 24 * 60 * 60 * 1000;
	const modifiedDate = {
		fromDate: new Date(from).toISOString(),
		toDate: new Date(now).toISOString(),
	};
	// Windows come oldest first: reversed, the newest changes head the list.
	const ids = (await searchIds(client, { modifiedDate })).reverse();
	const words = (filter ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const found: IDataObject[] = [];
	let next = Number(paginationToken ?? 0) || 0;
	const stop = Math.min(ids.length, next + MAX_READS_PER_PAGE);
	while (next < stop && found.length < LEAD_PAGE) {
		// Two rounds of what the client keeps in flight, then look whether the page is full.
		const batch = ids.slice(next, Math.min(stop, next + 2 * client.inFlight.target()));
		next += batch.length;
		const read = await getLeadOpportunities(client, 'v1', batch, client.inFlight.maximum);
		for (const { record } of read) if (leadMatches(record, words)) found.push(record);
	}
	return {
		results: found.map((record) => ({
			name: `${String(record.name ?? record.dsLeadOpportunityId)} — ${STATUS_NAMES.get(String(record.status)) ?? String(record.status ?? 'no status')}`,
			value: String(record.dsLeadOpportunityId),
			description: leadDescription(record),
		})),
		paginationToken: next < ids.length ? String(next) : undefined,
	};
}
