import type { INodeProperties } from 'n8n-workflow';

/** API version of create / get / update / upsert. Search and portfolio exist only under /v0/ and are not versioned. */
export const apiVersionField: INodeProperties = {
	displayName: 'API Version',
	name: 'apiVersion',
	type: 'options',
	default: 'v1',
	options: [
		{ name: 'V1', value: 'v1', description: 'Current version: revenue types PxC, YxC, QxC' },
		{
			name: 'V0 (Deprecated)',
			value: 'v0',
			description: 'Legacy version: revenue types UPFRONT, RENTAL_BOOKING, …',
		},
	],
	description: 'Which version of the lead-opportunity endpoints to call',
};

export const v0Notice: INodeProperties = {
	displayName:
		'API v0 is deprecated by 3DS and will be removed under its Partners API Lifecycle policy. Use v1 unless your 3DS contact asked for v0.',
	name: 'v0Notice',
	type: 'notice',
	default: '',
	displayOptions: { show: { apiVersion: ['v0'] } },
};

export const dsLeadOpportunityIdField: INodeProperties = {
	displayName: '3DS Lead-Opportunity ID',
	name: 'dsLeadOpportunityId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'HCRQ-F1LLDE',
	description:
		'The 3DS ID of the lead-opportunity (dsLeadOpportunityId, e.g. HCRQ-F1LLDE), not your CRM ID',
};

export const inputModeField: INodeProperties = {
	displayName: 'Input Mode',
	name: 'inputMode',
	type: 'options',
	default: 'fields',
	options: [
		{
			name: 'Fields Below',
			value: 'fields',
			description: 'Fill in the lead-opportunity field by field',
		},
		{
			name: 'JSON Body',
			value: 'json',
			description: 'Give the request body as the API takes it, e.g. mapped from a CRM record',
		},
	],
};

/**
 * Concurrency of create, get, update and create-or-update: requests in flight at once, as Search's
 * option, except that 0 (the default) lets the node learn it from the quota headers and the
 * measured round trips (at most 16).
 */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 32 },
	default: 0,
	description:
		'How many requests to have under way at once; 0 picks it from the rate-limit headers and the measured latency (up to 16). Output order and pairedItem follow the input; items for the same lead-opportunity run one after the other.',
};

/** The "Options" of create, get, update and create-or-update, plus any of the operation's own. */
export const operationOptions = (extra: INodeProperties[] = []): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		...extra,
		concurrencyOption,
		{
			displayName: 'Include Response Metadata',
			name: 'includeResponseMetadata',
			type: 'boolean',
			default: false,
			description:
				"Whether to add the API's info block and the rate-limit headers to each output item",
		},
	],
});

export const metadataOptions = operationOptions();

/**
 * Create, Update and Create or Update: read, validate and compare as usual, write nothing. Named
 * as n8n's own Data Table node names its simulated update/upsert/delete ("Dry Run").
 */
export const dryRunOption: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to only report what the operation would do, writing nothing: each item says its action (wouldCreate, wouldUpdate or unchanged), the changed fields with their current and new values, and the body that would be sent. Lookups and reads are sent as in a real run.',
};

/** Options of Create and Update. */
export const writeOptions = operationOptions([dryRunOption]);

/** "Return All" / "Limit", as n8n's Get Many operations have them (read by `limitParameter`). */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/**
 * Output of Search and of the trigger: the records (one GET per id, what both usually need) or
 * only what the search itself gives, described by `idsOnly`.
 */
export const outputOption = (idsOnly: string): INodeProperties => ({
	displayName: 'Output',
	name: 'output',
	type: 'options',
	default: 'records',
	options: [
		{
			name: 'Full Records',
			value: 'records',
			description: 'The lead-opportunity as Get returns it (one call per ID)',
		},
		{ name: 'IDs Only', value: 'ids', description: idsOnly },
	],
});
