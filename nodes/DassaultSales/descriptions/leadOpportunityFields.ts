/**
 * Field groups shared by create, update and create-or-update: every property of the API's
 * `lead-opportunity_attributes`, `offerLine`, `customerLegalEntity`, `customerContact` and
 * `partnerContact`, as n8n fields. Operations wrap them in their own display options.
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	byKey,
	forecastCategoryOptions,
	reasonLostOptions,
	reasonWonOptions,
	revenueTypeV0Options,
	revenueTypeV1Options,
	statusOptions,
} from './options';

const partnerLeadOpportunityId: INodeProperties = {
	displayName: 'Partner Lead-Opportunity ID',
	name: 'partnerLeadOpportunityId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. OPPY-1004526',
	description: 'The ID of the lead-opportunity in your CRM (partnerLeadOpportunityId)',
	hint: "Your CRM's own ID for the deal (e.g. the HubSpot deal ID), not the 3DS ID: map it from the CRM record, and keep it the same for the life of the deal",
};

const name: INodeProperties = {
	displayName: 'Name',
	name: 'name',
	type: 'string',
	default: '',
	description: 'Name of the lead-opportunity',
};

const status: INodeProperties = {
	displayName: 'Status',
	name: 'status',
	type: 'options',
	options: statusOptions,
	default: 'LEAD_OPEN',
	description:
		'Stage in the 3DS LEVERAGE process: LEAD_OPEN (-6), QUALIFIED (-5) and ACCEPTED (-4) are lead stages; OPPY_OPEN (-3), VALIDATED (-2) and ESTABLISHED (-1) are open-opportunity stages, in that order; WON and LOST close it',
};

/** What 3DS gets from a day field; one text for the four of them. */
const DAY_HINT =
	"3DS gets this calendar day. A date-time with an offset or Z counts as its day in the workflow's time zone, unless it is midnight exactly.";

const closeDate: INodeProperties = {
	displayName: 'Close Date',
	name: 'closeDate',
	type: 'dateTime',
	typeOptions: { dateOnly: true },
	default: '',
	description:
		'Expected day of closing: a date, an ISO 8601 date-time, or milliseconds since the epoch',
	hint: DAY_HINT,
};

const currency: INodeProperties = {
	displayName: 'Currency Name or ID',
	name: 'currency',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getCurrencies' },
	default: 'EUR',
	description:
		'ISO 4217 code of the transaction currency. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	hint: 'Three letters such as EUR or USD (lowercase is accepted); the amounts of the offer lines are in this currency',
};

/** `lead-opportunity_attributes` beyond the identification and required fields. */
const attributeFields: INodeProperties[] = [
	{
		displayName: 'Comet Campaign Code',
		name: 'cometCampaignCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. OC2DE17TAQ1C13018',
	},
	{
		displayName: 'Competitors',
		name: 'competitors',
		type: 'string',
		default: '',
		description:
			'Competitors, separated by commas (valid values come from 3DS by mail or 3DSwym), or an array from an expression',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
	},
	{
		displayName: 'Forecast Category',
		name: 'forecastCategory',
		type: 'options',
		options: forecastCategoryOptions,
		default: 'UPSIDE',
		description:
			'Ignored at creation for LEAD_OPEN, QUALIFIED and ACCEPTED; defaults to UPSIDE for open opportunities, and is set by the system for WON and LOST',
	},
	{
		displayName: 'GTM Tactic ID',
		name: 'gtmTacticId',
		type: 'string',
		default: '',
		description: 'Identification of the go-to-market tactic',
	},
	{
		displayName: 'Next Milestone',
		name: 'nextMilestone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Demo to the customer',
		description: 'The next activity to be done',
	},
	{
		displayName: 'Next Milestone Date',
		name: 'nextMilestoneDate',
		type: 'dateTime',
		typeOptions: { dateOnly: true },
		default: '',
		description: 'Day of the next activity',
		hint: DAY_HINT,
	},
	{
		displayName: 'Partner ID',
		name: 'partnerId',
		type: 'string',
		default: '',
		description: 'Your legal-entity ID in 3DS, if not the one of the credential',
	},
	{
		displayName: 'PSM Email (3DS Owner)',
		name: 'dsOwnerEmail',
		type: 'string',
		placeholder: 'e.g. nathan@example.com',
		default: '',
		description: '3DS Partner Sales Manager; defaults to your primary PSM at creation',
	},
	{
		displayName: 'Reason Lost',
		name: 'reasonLost',
		type: 'multiOptions',
		options: reasonLostOptions,
		default: [],
		description: 'Defaults to NO_PROJECT at creation',
	},
	{
		displayName: 'Reason Won',
		name: 'reasonWon',
		type: 'multiOptions',
		options: reasonWonOptions,
		default: [],
		description: 'Defaults to STRNG_VAL_PROP at creation',
	},
	{
		displayName: 'Reason Won/Lost Comment',
		name: 'reasonWonLostComment',
		type: 'string',
		default: '',
	},
];

export const offerLinesField = (required: boolean): INodeProperties => ({
	displayName: 'Offer Lines',
	name: 'offerLines',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Offer Line',
	required,
	default: {},
	description: required
		? 'At least one offer of the 3DS portfolio'
		: 'Replaces the offer lines of the lead-opportunity when set',
	options: [
		{
			name: 'offerLine',
			displayName: 'Offer Line',
			values: [
				{
					displayName: 'Amount',
					name: 'amount',
					type: 'number',
					typeOptions: { numberPrecision: 2 },
					default: 0,
					description: 'Amount in the currency of the lead-opportunity',
				},
				{
					displayName: 'End Date',
					name: 'endDate',
					type: 'dateTime',
					typeOptions: { dateOnly: true },
					default: '',
					description: 'Last day of the rental (YxC/QxC only)',
					hint: DAY_HINT,
					displayOptions: { show: { '/apiVersion': ['v1'], revenueType: ['YxC', 'QxC'] } },
				},
				{
					displayName: 'Offer',
					name: 'offerNameId',
					type: 'resourceLocator',
					default: { mode: 'list', value: '' },
					required: true,
					description: 'The salesPortfolioId of a portfolio item',
					modes: [
						{
							displayName: 'From Portfolio',
							name: 'list',
							type: 'list',
							typeOptions: { searchListMethod: 'searchPortfolioOffers', searchable: true },
						},
						{
							displayName: 'By ID',
							name: 'id',
							type: 'string',
							placeholder: 'e.g. CLASS00002_ONPR_PRTF077_SOL001277',
						},
					],
				},
				{
					displayName: 'Revenue Type',
					name: 'revenueType',
					type: 'options',
					options: revenueTypeV1Options,
					default: 'PxC',
					displayOptions: { show: { '/apiVersion': ['v1'] } },
				},
				{
					displayName: 'Revenue Type',
					name: 'revenueTypeV0',
					type: 'options',
					options: revenueTypeV0Options,
					default: 'UPFRONT',
					displayOptions: { show: { '/apiVersion': ['v0'] } },
				},
				{
					displayName: 'Start Date',
					name: 'startDate',
					type: 'dateTime',
					typeOptions: { dateOnly: true },
					default: '',
					description: 'First day of the rental (YxC/QxC only)',
					hint: DAY_HINT,
					displayOptions: { show: { '/apiVersion': ['v1'], revenueType: ['YxC', 'QxC'] } },
				},
			],
		},
	],
});

const customerText = (
	displayName: string,
	fieldName: string,
	example?: string,
): INodeProperties => ({
	displayName,
	name: fieldName,
	type: 'string',
	default: '',
	...(example ? { placeholder: `e.g. ${example}` } : {}),
});

/** `customerLegalEntity` beyond name, city and country. */
const customerDetailFields: INodeProperties[] = [
	customerText('Address Line 1', 'addressLine1', 'Kraillinger Strasse 5'),
	customerText('Address Line 2', 'addressLine2'),
	customerText('3DS Site ID', 'id', '200000000029188'),
	customerText('DUNS Number', 'dunsNumber', '266257315'),
	customerText('Registration ID', 'registrationId'),
	customerText('State / Prefecture', 'statePrefecture'),
	customerText('VAT Number', 'vatNumber', 'DE128212199'),
	customerText('Website URL', 'websiteUrl', 'www.world-company-limited.com'),
	customerText('ZIP Code', 'zipCode', '82131'),
];

const customerContactsField: INodeProperties = {
	displayName: 'Customer Contacts',
	name: 'customerContacts',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Customer Contact',
	default: {},
	options: [
		{
			name: 'contact',
			displayName: 'Contact',
			values: [
				{
					displayName: 'Email',
					name: 'email',
					type: 'string',
					placeholder: 'e.g. nathan@example.com',
					default: '',
					required: true,
				},
				{
					displayName: 'First Name',
					name: 'firstName',
					type: 'string',
					default: '',
					required: true,
				},
				{
					displayName: 'Job Title',
					name: 'jobTitle',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Last Name',
					name: 'lastName',
					type: 'string',
					default: '',
					required: true,
				},
				{
					displayName: 'Phone Number',
					name: 'phoneNumber',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Salutation',
					name: 'salutation',
					type: 'string',
					default: '',
					placeholder: 'e.g. Dr.',
				},
			],
		},
	],
};

const partnerContactsField: INodeProperties = {
	displayName: 'Partner Contacts',
	name: 'partnerContacts',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Partner Contact',
	default: {},
	options: [
		{
			name: 'contact',
			displayName: 'Contact',
			values: [
				{
					displayName: 'Sales Rep Email',
					name: 'salesRepEmail',
					type: 'string',
					placeholder: 'e.g. nathan@example.com',
					default: '',
					required: true,
				},
				{
					displayName: 'Sales Rep First Name',
					name: 'salesRepFirstName',
					type: 'string',
					default: '',
					required: true,
				},
				{
					displayName: 'Sales Rep Last Name',
					name: 'salesRepLastName',
					type: 'string',
					default: '',
					required: true,
				},
			],
		},
	],
};

export const jsonBodyField = (operationHint: string): INodeProperties => ({
	displayName: 'JSON Body',
	name: 'jsonBody',
	type: 'json',
	required: true,
	default:
		'{\n  "leadOpportunity": {\n    "partnerLeadOpportunityId": "",\n    "name": "",\n    "status": "LEAD_OPEN",\n    "closeDate": "",\n    "currency": "EUR"\n  },\n  "offerLines": [{ "offerNameId": "", "amount": 0, "revenueType": "PxC" }],\n  "customerLegalEntity": { "name": "", "city": "", "country": "" }\n}',
	description: `The request body as the API takes it (${operationHint}). partnerId defaults to the credential's. Validated like the fields.`,
	displayOptions: { show: { inputMode: ['json'] } },
});

/** Create and create-or-update: the spec's required fields on top, the rest in collections. */
export const createFields: INodeProperties[] = [
	{ ...partnerLeadOpportunityId, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...name, required: true, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...status, required: true, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...closeDate, required: true, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...currency, required: true, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...offerLinesField(true), displayOptions: { show: { inputMode: ['fields'] } } },
	{
		displayName: 'Customer Name',
		name: 'customerName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. World Company Limited',
		description: 'Name of the customer legal entity',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Customer City',
		name: 'customerCity',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Stuttgart',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Customer Country',
		name: 'customerCountry',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Germany',
		description: 'Country as free text, as 3DS uses it (e.g. Germany, FRANCE)',
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: attributeFields,
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Customer Details',
		name: 'customerDetails',
		type: 'collection',
		placeholder: 'Add Customer Field',
		default: {},
		options: customerDetailFields,
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{ ...customerContactsField, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...partnerContactsField, displayOptions: { show: { inputMode: ['fields'] } } },
];

/** Update: identification, then only what the user sets (a partial update). */
export const updateFields: INodeProperties[] = [
	{
		...partnerLeadOpportunityId,
		// Not marked required: with the locator By Partner Lead-Opportunity ID it may stay empty
		// (that ID is sent); otherwise validation names it before anything is sent.
		required: false,
		description:
			"Your CRM ID of the lead-opportunity; the API requires it on every update. Changing it here changes it in 3DS. Empty: the ID of 'Lead-Opportunity' when it is By Partner Lead-Opportunity ID.",
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [name, status, closeDate, currency, ...attributeFields].sort(byKey('displayName')),
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{ ...offerLinesField(false), displayOptions: { show: { inputMode: ['fields'] } } },
	{
		displayName: 'Customer',
		name: 'customer',
		type: 'collection',
		placeholder: 'Add Customer Field',
		default: {},
		description:
			'Replaces the customer legal entity when set; the API then needs its name, city and country',
		options: [
			customerText('Name', 'name', 'World Company Limited'),
			customerText('City', 'city', 'Stuttgart'),
			customerText('Country', 'country', 'Germany'),
			...customerDetailFields,
		].sort(byKey('displayName')),
		displayOptions: { show: { inputMode: ['fields'] } },
	},
	{ ...customerContactsField, displayOptions: { show: { inputMode: ['fields'] } } },
	{ ...partnerContactsField, displayOptions: { show: { inputMode: ['fields'] } } },
];
