/** The trigger's parameters: the event (and Field Changed's fields), and options (statuses, every change of an unassigned lead, output, where the first poll starts). */
import type { INodeProperties } from 'n8n-workflow';

import { outputOption, statusOptions } from '../DassaultSales/shared';
import { watchableFieldOptions } from './watchedFields';

/** The events that compare a lead's values with the last version the trigger saw. */
const COMPARING = ['leadOpportunityUpdated', 'statusChanged', 'fieldChanged', 'wonOrLost'];

export const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'leadOpportunityUpdated',
		options: [
			{
				name: 'Field Changed',
				value: 'fieldChanged',
				description:
					'A lead-opportunity where one of the chosen fields changed, such as the approval status, PO status or owner',
			},
			{
				name: 'Lead-Opportunity Created',
				value: 'leadOpportunityCreated',
				description:
					'Each lead-opportunity created since the activation (by its createdDate), once, the first time the trigger sees it',
			},
			{
				name: 'Lead-Opportunity Updated',
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
			{
				name: 'Status Changed',
				value: 'statusChanged',
				description: 'A lead-opportunity whose status changed, optionally only to chosen statuses',
			},
			{
				name: 'Won or Lost',
				value: 'wonOrLost',
				description: 'A lead-opportunity whose status changed to WON or LOST',
			},
		],
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		required: true,
		options: watchableFieldOptions,
		default: [],
		displayOptions: { show: { event: ['fieldChanged'] } },
		description: 'Emit a lead-opportunity when one of these fields changed',
	},
	{
		displayName:
			'Each item says what changed since the last version the trigger saw: changedFields and their previous values. A lead-opportunity the trigger sees for the first time has firstSeen true and no previous values; Status Changed emits it only when its status is one of To Statuses (Won or Lost: when it is WON or LOST), Field Changed not at all.',
		name: 'changeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: COMPARING } },
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
		// Not hidden by Options › Output (a top-level field depending on a collection's value makes
		// n8n 1.x fail the activation: "Could not resolve parameter dependencies").
		hint: "10 flat fields, as the action node's Get gives them. Off: the whole record. Ignored with Output IDs Only.",
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
				displayOptions: { hide: { '/event': ['statusChanged', 'wonOrLost'] } },
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
					'Where the first poll after the first activation starts. Later activations continue where the trigger stopped. A past period also gives Status Changed and Field Changed the versions of that period to compare with.',
				options: [
					{ name: 'At a Date and Time', value: 'dateTime' },
					{ name: 'Now (Only Changes From Now On)', value: 'now' },
					{ name: 'Past Day', value: 'lastDay' },
					{ name: 'Past Hour', value: 'lastHour' },
					{ name: 'Past Month (30 Days)', value: 'last30Days' },
					{ name: 'Past Week (7 Days)', value: 'last7Days' },
				],
			},
			{
				displayName: 'Start From Date and Time',
				name: 'startFromDateTime',
				type: 'dateTime',
				default: '',
				// No displayOptions on a sibling inside a collection: n8n 1.x cannot resolve them and
				// fails the activation ("Could not resolve parameter dependencies").
				description:
					'Where the first poll starts when Start From is At a Date and Time (ignored otherwise)',
				hint: "Without an offset it is read in the workflow's time zone (Workflow settings › Timezone)",
			},
			{
				displayName: 'To Statuses',
				name: 'toStatuses',
				type: 'multiOptions',
				options: statusOptions,
				default: [],
				displayOptions: { show: { '/event': ['statusChanged'] } },
				description:
					'Emit only status changes to one of these statuses, such as WON. Empty: every status change.',
			},
		],
	},
];
