import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { simplifyLeadOpportunity } from '../DassaultSales/shared';
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
			'={{$parameter["event"] === "unassignedLead" ? "New Unassigned Lead" : "Lead-Opportunity Created or Updated"}}',
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
		const emitted = await pollTrigger(this);
		// Simplify shapes the records as the action node's Get does; IDs Only is already small.
		const options = this.getNodeParameter('options', {}) as { output?: unknown };
		if (!emitted || options.output === 'ids' || this.getNodeParameter('simplify', true) === false)
			return emitted;
		return emitted.map((items) =>
			items.map((item) => ({ ...item, json: simplifyLeadOpportunity(item.json) })),
		);
	}
}
