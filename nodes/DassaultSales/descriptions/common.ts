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

/**
 * Format of a 3DS id, derived from every id in the spec's examples (HCRQ-F1LLDE, 9YEL-Y3W56Q,
 * XJSR-DZMFFT, 5ZOQ-LF35OK, 1FFC-7BQC5E, 5KSL-VLSWRX, BYTK-COL4A0): four upper-case letters or
 * digits, a hyphen, six more. The editor flags other shapes; the node still sends them (the spec
 * documents no format), so a real id of another shape is not locked out.
 */
export const DS_ID_REGEX = '^[A-Z0-9]{4}-[A-Z0-9]{6}$';

/**
 * Which lead-opportunity: picked from the recently modified ones (the default, as n8n's
 * guidelines ask), its 3DS id, or your CRM id resolved by a search. Named like the plain string
 * it replaces, so a workflow saved before still loads (its value reads as a 3DS id).
 */
export const dsLeadOpportunityIdField: INodeProperties = {
	displayName: 'Lead-Opportunity',
	name: 'dsLeadOpportunityId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: 'The lead-opportunity in 3DS: pick it, or give its 3DS ID or your CRM ID',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a lead-opportunity...',
			typeOptions: { searchListMethod: 'searchLeadOpportunities', searchable: true },
		},
		{
			displayName: 'By 3DS ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. HCRQ-F1LLDE',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: DS_ID_REGEX,
						errorMessage:
							'A 3DS ID has four letters or digits, a hyphen and six more (e.g. HCRQ-F1LLDE)',
					},
				},
			],
		},
		{
			displayName: 'By Partner Lead-Opportunity ID',
			name: 'partnerId',
			type: 'string',
			placeholder: 'e.g. OPPY-1004526',
			hint: 'Your CRM ID (partnerLeadOpportunityId): the node finds the 3DS record that holds it',
		},
	],
};

/** Simplify, as n8n's guideline words it; on by default as n8n's lint asks of a new node. */
export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	displayOptions: { show: { '@tool': [false] } },
	hint: '10 flat fields: 3DS ID, partner ID, name, status, amount (sum of the offer lines), currency, close date, customer name, 3DS owner, modified date',
};

/** Top-level fields of a lead-opportunity record (the spec's GET response), for Selected Fields. */
const RECORD_FIELDS = [
	'approvalStatus',
	'closeDate',
	'cometCampaignCode',
	'competitors',
	'createdDate',
	'currency',
	'customerContact',
	'customerLegalEntity',
	'description',
	'dsComment',
	'dsOwnerEmail',
	'engagementType',
	'forecastCategory',
	'growthType',
	'gtmTacticId',
	'leadPriority',
	'levelOfInterest',
	'modifiedDate',
	'name',
	'nextMilestone',
	'nextMilestoneDate',
	'offerLines',
	'partnerContact',
	'partnerImportMode',
	'partnerLeadOpportunityId',
	'poInformation',
	'poNumber',
	'poStatus',
	'reasonLost',
	'reasonWon',
	'reasonWonLostComment',
	'sboIndicator',
	'sboNumber',
	'sboStatus',
	'status',
];

/**
 * The AI tool's Output (n8n's guideline for tool nodes): Simplified is Simplify's shape, Raw the
 * record, Selected Fields the chosen fields plus the 3DS id. Shown instead of Simplify when the
 * node runs as a tool.
 */
export const toolOutputFields: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'toolOutput',
		type: 'options',
		default: 'simplified',
		displayOptions: { show: { '@tool': [true] } },
		options: [
			{ name: 'Raw', value: 'raw', description: 'Every field of the lead-opportunity' },
			{
				name: 'Selected Fields',
				value: 'selected',
				description: 'Only the fields you pick, plus the 3DS ID',
			},
			{
				name: 'Simplified',
				value: 'simplified',
				description: 'The 10 fields of Simplify: IDs, name, status, amount, dates, customer',
			},
		],
		description: 'Which fields of each lead-opportunity to give the agent',
	},
	{
		displayName: 'Fields',
		name: 'toolFields',
		type: 'multiOptions',
		default: [],
		displayOptions: { show: { '@tool': [true], toolOutput: ['selected'] } },
		options: RECORD_FIELDS.map((field) => ({ name: field, value: field })),
		description: 'The fields to give the agent; the 3DS ID is always included',
	},
];

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
 * measured duration of a request (up to 64, transport/requestsInFlight.ts).
 */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 32 },
	default: 0,
	description:
		'How many requests to have under way at once; 0 picks it from the rate-limit headers and the measured latency (up to 64). Output order and pairedItem follow the input; items for the same lead-opportunity run one after the other.',
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

/**
 * Sorting of a Get Many, in its own collection below Options as n8n's guidelines ask (Airtable's
 * Search). The API cannot sort, so the node sorts what it returns.
 */
export const sortField = (
	fields: Array<{ name: string; value: string }>,
	defaultField: string,
	description: string,
): INodeProperties => ({
	displayName: 'Sort',
	name: 'sort',
	placeholder: 'Add Sort Rule',
	type: 'fixedCollection',
	default: {},
	typeOptions: { multipleValues: true },
	description,
	options: [
		{
			name: 'property',
			displayName: 'Property',
			values: [
				{
					displayName: 'Field',
					name: 'field',
					type: 'options',
					options: fields,
					default: defaultField,
					description: 'The field to sort by',
				},
				{
					displayName: 'Direction',
					name: 'direction',
					type: 'options',
					options: [
						{ name: 'Ascending', value: 'asc' },
						{ name: 'Descending', value: 'desc' },
					],
					default: 'asc',
				},
			],
		},
	],
});
