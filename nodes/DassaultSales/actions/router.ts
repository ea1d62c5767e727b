/**
 * resource/operation → operation module, and the one run path of every operation. Resource and
 * operation are the same for every item (`noDataExpression`), so they are read once. Each item is
 * read and validated by the operation's `Prepare`, in input order, while the first items are
 * already sent (`scheduleItems`); items run with a bounded number under way, items of the same
 * lead-opportunity one after the other, and the output keeps the input's order. Search and Get
 * Many run their items one at a time (each runs its own calls concurrently). A failed item becomes
 * an error item under "Continue On Fail"; otherwise the first failed item in input order stops the
 * node: items not started are not sent, those in flight finish. All calls of one execution share
 * one client, hence one rate-limit gate and one concurrency controller.
 */
import type {
	IContextObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { integerParameter, objectParameter } from '../helpers/parameters';
import { asNodeError, DassaultSalesClient, type PacingMemory } from '../transport';
import { scheduleItems, type ItemOutcome } from '../utils/scheduler';
import { Execution } from './execution';
import * as leadOpportunity from './leadOpportunity';
import type { Prepare } from './operation';
import * as portfolioItem from './portfolioItem';

interface Operation {
	prepare: Prepare;
	/** Items run one after the other, the client's concurrency learned (not the item option). */
	oneItemAtATime?: true;
}

const operations: Record<string, Record<string, Operation>> = {
	leadOpportunity: {
		create: { prepare: leadOpportunity.create.prepare },
		get: { prepare: leadOpportunity.get.prepare },
		update: { prepare: leadOpportunity.update.prepare },
		upsert: { prepare: leadOpportunity.upsert.prepare },
		search: { prepare: leadOpportunity.search.prepare, oneItemAtATime: true },
	},
	portfolioItem: {
		getMany: { prepare: portfolioItem.getMany.prepare, oneItemAtATime: true },
	},
};

function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number) {
	return {
		json: {
			error: error.message,
			description: error.description ?? null,
			httpCode: (error as NodeApiError).httpCode ?? null,
		},
		pairedItem: { item: itemIndex },
	};
}

/** Options › Concurrency of the first item (0 or unset: learned; see transport/requestsInFlight.ts). */
function concurrencyOption(this: IExecuteFunctions): number | undefined {
	const options = objectParameter.call(this, 'options', 0, 'Options');
	const value = integerParameter.call(this, options.concurrency ?? 0, 0, 'Concurrency', {
		min: 0,
		max: 32,
	});
	return value === 0 ? undefined : value;
}

function selectedOperation(this: IExecuteFunctions): Operation {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
			{ itemIndex: 0 },
		);
	}
	return selected;
}

/**
 * The output in input order. Each failure is wrapped here, once: without Continue On Fail the
 * first one in input order (the one a run item by item would have met first) fails the node.
 */
function output(
	this: IExecuteFunctions,
	outcomes: Array<ItemOutcome<INodeExecutionData[]> | undefined>,
): INodeExecutionData[] {
	const continueOnFail = this.continueOnFail();
	const items: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome === undefined) continue;
		if (outcome.ok) {
			items.push(...outcome.value);
			continue;
		}
		const error = asNodeError(this.getNode(), outcome.error, itemIndex);
		if (!continueOnFail) throw error;
		items.push(errorItem(error, itemIndex));
	}
	return items;
}

/** Where the node keeps what it learned of the quota between its runs in one execution. */
const PACING_KEY = 'pacing';

/**
 * n8n's execution-scoped context of this node (what Loop Over Items itself keeps its state in):
 * the same object at every run of the node in one execution, so a batch starts with what the
 * previous one learned instead of blind.
 */
function nodeContext(this: IExecuteFunctions): IContextObject | undefined {
	return typeof this.getContext === 'function' ? this.getContext('node') : undefined;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const count = this.getInputData().length;
	if (count === 0) return [[]];
	const { prepare, oneItemAtATime } = selectedOperation.call(this);
	const memory = nodeContext.call(this);
	const client = new DassaultSalesClient(this, {
		concurrency: oneItemAtATime ? undefined : concurrencyOption.call(this),
		pacing: memory?.[PACING_KEY] as PacingMemory | undefined,
	});
	const execution = new Execution(client);
	try {
		const outcomes = await scheduleItems({
			count,
			read: async (itemIndex) => await prepare.call(this, itemIndex, execution),
			allRead: () => execution.allRead(),
			limit: oneItemAtATime ? 1 : client.inFlight.maximum,
			stopOnFailure: !this.continueOnFail(),
		});
		return [output.call(this, outcomes)];
	} finally {
		if (memory) memory[PACING_KEY] = client.pacingMemory();
	}
}
