/** The trigger's parameters: the event, and options (statuses, output, where the first poll starts). */
import type { INodeProperties } from 'n8n-workflow';

import { statusOptions } from '../DassaultSales/descriptions/options';

export const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'leadOpportunityUpdated',
		options: [
			{
				name: 'Lead-Opportunity Created or Updated',
				value: 'leadOpportunityUpdated',
				description:
					'Each lead-opportunity whose modified date moved: 3DS changed its status, approval, PO or owner, or it was created',
			},
			{
				name: 'New Unassigned Lead',
				value: 'unassignedLead',
				description:
					'Lead-opportunities without a partner lead-opportunity ID, such as marketing leads 3DS assigned to you, each time one is created or modified',
			},
		],
	},
	{
		displayName:
			'Each change is emitted once, oldest first. The first activation starts now unless Start From says otherwise; after a pause the trigger catches up on what changed meanwhile.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Only These Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				description:
					'Emit only lead-opportunities whose status (after the change) is one of these. Empty: every status.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'records',
				options: [
					{
						name: 'Full Records',
						value: 'records',
						description: 'The lead-opportunity as Get returns it',
					},
					{
						name: 'IDs Only',
						value: 'ids',
						description: 'Only dsLeadOpportunityId and modifiedDate of each change',
					},
				],
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				default: 'now',
				description:
					'Where the first poll after the first activation starts. Later activations continue where the trigger stopped.',
				options: [
					{ name: 'Now (Only Changes From Now On)', value: 'now' },
					{ name: 'Past Day', value: 'lastDay' },
					{ name: 'Past Hour', value: 'lastHour' },
					{ name: 'Past Month (30 Days)', value: 'last30Days' },
					{ name: 'Past Week (7 Days)', value: 'last7Days' },
				],
			},
		],
	},
];
