import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as leadOpportunity from './actions/leadOpportunity';
import * as portfolioItem from './actions/portfolioItem';
import { router } from './actions/router';
import { searchLeadOpportunities, searchPortfolioOffers } from './methods/listSearch';
import { getCurrencies } from './methods/loadOptions';

export class DassaultSales implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dassault Systèmes Sales',
		name: 'dassaultSales',
		icon: {
			light: 'file:../../icons/dassault-systemes.svg',
			dark: 'file:../../icons/dassault-systemes.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Report and sync leads and opportunities with the Dassault Systèmes partner sales API (MySalesPipeline)',
		defaults: { name: 'Dassault Systèmes Sales' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dassaultSalesApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Lead-Opportunity', value: 'leadOpportunity' },
					{ name: 'Portfolio Item', value: 'portfolioItem' },
				],
				default: 'leadOpportunity',
			},
			...leadOpportunity.description,
			...portfolioItem.description,
		],
	};

	methods = {
		listSearch: { searchLeadOpportunities, searchPortfolioOffers },
		loadOptions: { getCurrencies },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
