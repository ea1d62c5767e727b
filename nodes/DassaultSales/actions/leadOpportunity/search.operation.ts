import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	outputOption,
	returnAllFields,
	simplifyField,
	sortField,
	toolOutputFields,
} from '../../descriptions/common';

import {
	apiVersionParameter,
	integerParameter,
	limitParameter,
	listValue,
	objectParameter,
} from '../../helpers/parameters';
import { readInstantIn, workflowZone } from '../../helpers/dates';
import { validateInput } from '../../helpers/validate';
import { LEAD_OPPORTUNITY_STATUS, searchCriteria } from '../../schemas';
import { getLeadOpportunities, searchIds } from '../../transport';
import type { Prepare } from '../operation';
import { recordShape, toItem } from '../output';
import { sortBy, sortRules } from '../../utils/sort';
import { totalAmount } from '../../utils/simplify';

/** What Search can sort by; Amount is the sum of the offer lines, as Simplify gives it. */
const SORT_FIELDS = [
	{ name: 'Amount', value: 'amount' },
	{ name: 'Close Date', value: 'closeDate' },
	{ name: 'Created Date', value: 'createdDate' },
	{ name: 'Modified Date', value: 'modifiedDate' },
	{ name: 'Name', value: 'name' },
	{ name: 'Status (LEVERAGE Order)', value: 'status' },
];

/** Statuses sort in LEVERAGE order (-6 Open … Established, then Won, Lost), not alphabetically. */
const STATUS_ORDER = Object.keys(LEAD_OPPORTUNITY_STATUS);

const sortValue = (record: IDataObject, field: string) => {
	if (field === 'amount') return totalAmount(record.offerLines);
	if (field === 'status') {
		const step = STATUS_ORDER.indexOf(String(record.status));
		return step === -1 ? record.status : step;
	}
	return record[field];
};

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
				placeholder: 'e.g. OPPY-1004526, OPPY-1004527',
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
	// Simplify (or a tool's Output) shapes full records; IDs Only is already small.
	...[simplifyField, ...toolOutputFields].map((field) => ({
		...field,
		displayOptions: { show: { ...field.displayOptions?.show, output: ['records'] } },
	})),
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
				typeOptions: { minValue: 0, maxValue: 32 },
				default: 0,
				description:
					'How many records to get at once; 0 learns it from the quota and the round trip (up to 64). Output order is kept.',
			},
		],
	},
	{
		...sortField(
			SORT_FIELDS,
			'modifiedDate',
			'Order of the records (sorted by the node: the API returns them unordered). With a Limit, the records found first are sorted, not the whole range.',
		),
		displayOptions: { show: { output: ['records'] } },
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

/** The search body of the item's filters, validated: a date range, partner ids, or unassigned only. */
function readCriteria(this: IExecuteFunctions, itemIndex: number) {
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
	return validateInput(searchCriteria, raw, this.getNode(), itemIndex, 'search filters');
}

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const criteria = readCriteria.call(this, itemIndex);
	const limit = limitParameter.call(this, itemIndex);
	const idsOnly = this.getNodeParameter('output', itemIndex, 'records') === 'ids';
	const options = objectParameter.call(this, 'options', itemIndex, 'Options');
	const version = apiVersionParameter.call(this, options.apiVersion ?? 'v1', itemIndex);
	const concurrency = integerParameter.call(
		this,
		options.concurrency ?? 0,
		itemIndex,
		'Concurrency',
		{ min: 0, max: 32 },
	);

	const shape = recordShape.call(this, itemIndex);
	const rules = sortRules(
		this.getNodeParameter('sort', itemIndex, {}),
		SORT_FIELDS.map((field) => field.value),
	);
	return {
		keys: [],
		run: async (): Promise<INodeExecutionData[]> => {
			const ids = await searchIds(client, criteria, itemIndex, { limit });
			if (idsOnly)
				return ids.map((dsLeadOpportunityId) => toItem({ dsLeadOpportunityId }, itemIndex));
			// 0: as many as the client's learned in-flight limit lets through.
			const atOnce = concurrency || client.inFlight.maximum;
			const records = await getLeadOpportunities(client, version, ids, atOnce, itemIndex);
			return sortBy(
				records.map(({ record }) => record),
				rules,
				sortValue,
			).map((record) => toItem(shape(record), itemIndex));
		},
	};
};
