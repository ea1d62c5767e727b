/** The trigger's parameters: the event, and options (every change of an unassigned lead, statuses, output, where the first poll starts). */
import type { INodeProperties } from 'n8n-workflow';

import { outputOption, statusOptions } from '../DassaultSales/shared';

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
					'Lead-opportunities without a partner lead-opportunity ID, such as marketing leads 3DS assigned to you: each lead once, the first time the trigger sees it',
			},
		],
	},
	{
		displayName:
			'Each change is emitted once, oldest first. The first activation starts now unless Start From says otherwise; after a pause the trigger catches up on what changed meanwhile. A passing rate limit or outage only delays a poll: the trigger reports it once when 3DS stays unreachable for 15 minutes, and at every poll while 3DS refuses the API key.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint: "10 flat fields, as the action node's Get gives them. Off: the whole record.",
		displayOptions: { hide: { 'options.output': ['ids'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emit Every Change',
				name: 'emitEveryChange',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/event': ['unassignedLead'] } },
				description:
					'Whether to emit an unassigned lead each time 3DS modifies it, not only the first time the trigger sees it. Off: each lead once, so a workflow that creates a CRM record per event creates one.',
			},
			{
				displayName: 'Only These Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				description:
					'Emit only lead-opportunities whose status (after the change) is one of these. Empty: every status.',
			},
			outputOption('Only dsLeadOpportunityId and modifiedDate of each change'),
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
