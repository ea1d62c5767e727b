import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { pollTrigger } from './poll';
import { properties } from './properties';

export class DassaultSalesTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dassault Systèmes Sales Trigger',
		name: 'dassaultSalesTrigger',
		icon: {
			light: 'file:../../icons/dassault-systemes.svg',
			dark: 'file:../../icons/dassault-systemes.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"leadOpportunityCreated": "Lead-Opportunity Created", "leadOpportunityUpdated": "Lead-Opportunity Updated", "statusChanged": "Status Changed", "fieldChanged": "Field Changed", "wonOrLost": "Won or Lost", "unassignedLead": "New Unassigned Lead"}[$parameter["event"]] }}',
		description:
			'Starts the workflow when lead-opportunities change in the Dassault Systèmes partner sales API (MySalesPipeline)',
		defaults: { name: 'Dassault Systèmes Sales Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dassaultSalesApi', required: true }],
		properties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger(this);
	}
}
