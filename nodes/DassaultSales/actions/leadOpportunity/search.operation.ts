import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { outputOption, returnAllFields } from '../../descriptions/common';

import {
	apiVersionParameter,
	integerParameter,
	limitParameter,
	listValue,
	objectParameter,
} from '../../helpers/parameters';
import { readInstantIn, workflowZone } from '../../helpers/dates';
import { validateInput } from '../../helpers/validate';
import { searchCriteria } from '../../schemas';
import { getLeadOpportunities, searchIds } from '../../transport';
import type { Prepare } from '../operation';
import { toItem } from '../output';

/** GETs in flight at once when resolving ids to records: fast on latency, gentle on the quota. */
export const DEFAULT_CONCURRENCY = 8;

const properties: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Combined with AND. Any date range works: the node searches it 7 days at a time.',
		options: [
			{
				displayName: 'Modified After',
				name: 'modifiedAfter',
				type: 'dateTime',
				default: '',
				description:
					"Start of the modified-date range (e.g. 2026-11-23T09:00, in the workflow's time zone, or 2026-11-23T00:00:00Z). Any range length works.",
				hint: "A date and time without an offset is read in the workflow's time zone (Workflow settings › Timezone)",
			},
			{
				displayName: 'Modified Before',
				name: 'modifiedBefore',
				type: 'dateTime',
				default: '',
				description:
					"End of the modified-date range, in the workflow's time zone unless it has an offset; now when empty",
			},
			{
				displayName: 'Partner Lead-Opportunity IDs',
				name: 'partnerLeadOpportunityIds',
				type: 'string',
				default: '',
				placeholder: 'OPPY-1004526, OPPY-1004527',
				description: 'Your CRM IDs, separated by commas (or an array from an expression)',
			},
			{
				displayName: 'Unassigned Leads Only',
				name: 'unassignedOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to return only lead-opportunities without a partner ID: marketing leads 3DS assigned to you that wait for your CRM ID',
			},
		],
	},
	outputOption('Only the 3DS IDs the search returns'),
	...returnAllFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'API Version for Records',
				name: 'apiVersion',
				type: 'options',
				default: 'v1',
				options: [
					{ name: 'V1', value: 'v1' },
					{ name: 'V0 (Deprecated)', value: 'v0' },
				],
				description:
					'Which version of GET resolves the IDs to records (search itself exists only in v0)',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 32 },
				default: DEFAULT_CONCURRENCY,
				description: 'How many records to get at once; output order is kept',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['search'] } },
	properties,
);

interface Filters {
	modifiedAfter?: string;
	modifiedBefore?: string;
	partnerLeadOpportunityIds?: string | string[];
	unassignedOnly?: boolean;
}

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const filters = objectParameter.call(this, 'filters', itemIndex, 'Filters') as Filters;
	const partnerIds = listValue(filters.partnerLeadOpportunityIds ?? '') as unknown[];
	const hasRange = Boolean(filters.modifiedAfter) || Boolean(filters.modifiedBefore);
	const raw: IDataObject = {};
	if (hasRange) {
		const zone = workflowZone.call(this, itemIndex);
		raw.modifiedDate = {
			fromDate: filters.modifiedAfter ? readInstantIn(filters.modifiedAfter, zone) : undefined,
			toDate: filters.modifiedBefore
				? readInstantIn(filters.modifiedBefore, zone)
				: new Date().toISOString(),
		};
	}
	const hasPartnerIds = !Array.isArray(partnerIds) || partnerIds.length > 0;
	if (filters.unassignedOnly && hasPartnerIds) {
		throw new NodeOperationError(
			this.getNode(),
			`Invalid search filters in item ${itemIndex}: Unassigned Leads Only and Partner Lead-Opportunity IDs exclude each other`,
			{
				itemIndex,
				description: 'Unassigned leads have no partner ID. Remove one of the two filters.',
			},
		);
	}
	if (filters.unassignedOnly) raw.partnerLeadOpportunityId = '';
	if (hasPartnerIds) raw.partnerLeadOpportunityId = partnerIds;
	const criteria = validateInput(searchCriteria, raw, this.getNode(), itemIndex, 'search filters');
	const limit = limitParameter.call(this, itemIndex);
	const idsOnly = this.getNodeParameter('output', itemIndex, 'records') === 'ids';
	const options = objectParameter.call(this, 'options', itemIndex, 'Options');
	const version = apiVersionParameter.call(this, options.apiVersion ?? 'v1', itemIndex);
	const concurrency = integerParameter.call(
		this,
		options.concurrency ?? DEFAULT_CONCURRENCY,
		itemIndex,
		'Concurrency',
		{ min: 1, max: 32 },
	);

	return {
		keys: [],
		run: async (): Promise<INodeExecutionData[]> => {
			const ids = await searchIds(client, criteria, itemIndex, { limit });
			if (idsOnly)
				return ids.map((dsLeadOpportunityId) => toItem({ dsLeadOpportunityId }, itemIndex));
			const records = await getLeadOpportunities(client, version, ids, concurrency, itemIndex);
			return records.map(({ record }) => toItem(record, itemIndex));
		},
	};
};
