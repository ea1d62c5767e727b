/**
 * resource/operation → operation module. Items run one after the other (each operation may run
 * calls concurrently inside); a failed item becomes an error item under "Continue On Fail",
 * otherwise it stops the node. All calls of one execution share one client, hence one rate-limit gate.
 */
import type { IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, DassaultSalesClient } from '../transport';
import * as leadOpportunity from './leadOpportunity';
import * as portfolioItem from './portfolioItem';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: DassaultSalesClient,
) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	leadOpportunity: {
		create: leadOpportunity.create.execute,
		get: leadOpportunity.get.execute,
		update: leadOpportunity.update.execute,
		search: leadOpportunity.search.execute,
		upsert: leadOpportunity.upsert.execute,
	},
	portfolioItem: {
		getMany: portfolioItem.getMany.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const client = new DassaultSalesClient(this);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = operations[resource]?.[operation];
		if (!run) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" of "${resource}" is not supported`,
				{ itemIndex },
			);
		}
		try {
			output.push(...(await run.call(this, itemIndex, client)));
		} catch (caught) {
			const error = asNodeError(this.getNode(), caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			output.push({
				json: {
					error: error.message,
					description: error.description ?? null,
					httpCode: (error as NodeApiError).httpCode ?? null,
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
