import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllFields, sortField } from '../../descriptions/common';
import { sortBy, sortRules } from '../../utils/sort';

import type { PortfolioItem } from '../../schemas/responses';
import { forEachPortfolioPage } from '../../transport';
import type { Prepare } from '../operation';
import { toItem } from '../output';
import { limitParameter, objectParameter } from '../../helpers/parameters';
import {
	matchesFilters,
	portfolioItemName,
	type PortfolioFilters,
} from '../../helpers/portfolioMatching';

/** Items per call. The API allows up to 9999; smaller pages let "Limit" stop early. */
export const PORTFOLIO_PAGE_SIZE = 1000;

/** What Portfolio Get Many can sort by: the name is the three levels, as Simplify gives it. */
const SORT_FIELDS = [
	{ name: 'ID', value: 'salesPortfolioId' },
	{ name: 'Infrastructure', value: 'salesPortfolioInfrastructure' },
	{ name: 'Name (Levels)', value: 'name' },
	{ name: 'Type', value: 'salesPortfolioType' },
];

const properties: INodeProperties[] = [
	...returnAllFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Applied by the node: the API itself only pages',
		options: [
			{
				displayName: 'Infrastructure',
				name: 'infrastructure',
				type: 'string',
				default: '',
				placeholder: 'e.g. On Cloud',
				description: 'Only items whose infrastructure contains this text (case-insensitive)',
			},
			{
				displayName: 'Level 1 Contains',
				name: 'level1',
				type: 'string',
				default: '',
				placeholder: 'e.g. 3DEXPERIENCE',
			},
			{
				displayName: 'Level 2 Contains',
				name: 'level2',
				type: 'string',
				default: '',
				placeholder: 'e.g. Simulation',
			},
			{
				displayName: 'Level 3 Contains',
				name: 'level3',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Orderable Only',
				name: 'orderableOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only items that can be ordered',
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				default: '',
				placeholder: 'e.g. CATIA V5 on premise',
				description:
					'Only items whose ID, type, infrastructure or levels contain every word of this text (case-insensitive), as the offer picker searches',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'string',
				default: '',
				placeholder: 'e.g. Brand',
				description: 'Only items whose type contains this text (case-insensitive)',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	sortField(
		SORT_FIELDS,
		'name',
		'Order of the items (sorted by the node over every matching item, then cut to the Limit: the API returns them unordered)',
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['portfolioItem'], operation: ['getMany'] } },
	properties,
);

const simplify = (item: PortfolioItem): IDataObject => ({
	offerNameId: item.salesPortfolioId ?? null,
	name: portfolioItemName(item),
	level1: item.salesPortfolioLevel1 ?? null,
	level2: item.salesPortfolioLevel2 ?? null,
	level3: item.salesPortfolioLevel3 ?? null,
	type: item.salesPortfolioType ?? null,
	infrastructure: item.salesPortfolioInfrastructure ?? null,
	orderable: item.salesPortfolioisOrderable ?? null,
});

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const limit = limitParameter.call(this, itemIndex) ?? Infinity;
	const filters = objectParameter.call(this, 'filters', itemIndex, 'Filters') as PortfolioFilters;
	const simplified = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const rules = sortRules(
		this.getNodeParameter('sort', itemIndex, {}),
		SORT_FIELDS.map((field) => field.value),
	);
	// Sorted, the first `limit` can only be known once every matching item is read.
	const readUpTo = rules.length > 0 ? Infinity : limit;
	const run = async (): Promise<INodeExecutionData[]> => {
		const found: PortfolioItem[] = [];
		await forEachPortfolioPage(
			client,
			PORTFOLIO_PAGE_SIZE,
			(items) => {
				for (const item of items)
					if (matchesFilters(item, filters) && found.length < readUpTo) found.push(item);
				return found.length < readUpTo;
			},
			itemIndex,
		);
		const sorted = sortBy(found, rules, (item, field) =>
			field === 'name' ? portfolioItemName(item) : item[field as keyof PortfolioItem],
		).slice(0, limit);
		return sorted.map((item) =>
			toItem(simplified ? simplify(item) : (item as IDataObject), itemIndex),
		);
	};
	return { keys: [], run };
};
