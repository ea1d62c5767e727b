/**
 * How the node matches portfolio items, which the API can only page: the filters of Portfolio
 * Get Many and the words of the offer picker (methods/listSearch.ts) search alike.
 */
import type { PortfolioItem } from '../schemas/responses';

/** The filters of Portfolio Get Many, as the user set them. */
export interface PortfolioFilters {
	infrastructure?: string;
	level1?: string;
	level2?: string;
	level3?: string;
	orderableOnly?: boolean;
	text?: string;
	type?: string;
}

const contains = (value: string | null | undefined, wanted: string | undefined) =>
	!wanted || (value ?? '').toLowerCase().includes(wanted.trim().toLowerCase());

export const matchesFilters = (item: PortfolioItem, filters: PortfolioFilters) =>
	contains(item.salesPortfolioLevel1, filters.level1) &&
	contains(item.salesPortfolioLevel2, filters.level2) &&
	contains(item.salesPortfolioLevel3, filters.level3) &&
	contains(item.salesPortfolioInfrastructure, filters.infrastructure) &&
	contains(item.salesPortfolioType, filters.type) &&
	(!filters.orderableOnly || item.salesPortfolioisOrderable === true) &&
	matchesText(item, filters.text);

/** Free-text match over the id, type and levels: what the offer picker searches. */
export const matchesText = (item: PortfolioItem, text: string | undefined) => {
	const words = (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const haystack = [
		item.salesPortfolioId,
		item.salesPortfolioType,
		item.salesPortfolioInfrastructure,
		item.salesPortfolioLevel1,
		item.salesPortfolioLevel2,
		item.salesPortfolioLevel3,
	]
		.join(' ')
		.toLowerCase();
	return words.every((word) => haystack.includes(word));
};

/** "3DEXPERIENCE › Simulation › Design to Manufacturing Process": how people name an offer. */
export const portfolioItemName = (item: PortfolioItem) =>
	[item.salesPortfolioLevel1, item.salesPortfolioLevel2, item.salesPortfolioLevel3]
		.filter(Boolean)
		.join(' › ');
