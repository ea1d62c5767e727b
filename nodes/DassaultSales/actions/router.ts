/**
 * resource/operation → operation module. Create, Get, Update and Create or Update run their items
 * in parallel: every item is read and validated first (so Create or Update knows every partner id
 * before its first search), then sent with a bounded number of requests in flight, items of the
 * same lead-opportunity one after the other; the output keeps the input's order. Search and Get
 * Many run items one after the other (each runs its own calls concurrently). A failed item becomes
 * an error item under "Continue On Fail"; otherwise the first failed item in input order stops the
 * node: items not started are not sent, those in flight finish. All calls of one execution share
 * one client, hence one rate-limit gate and one concurrency controller.
 */
import type { IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { runItemsInParallel, type ItemOutcome } from '../utils/concurrency';
import { integerParameter, objectParameter } from '../helpers/parameters';
import { asNodeError, DassaultSalesClient } from '../transport';
import { Execution, type Prepare, type PreparedItem } from './execution';
import * as leadOpportunity from './leadOpportunity';
import * as portfolioItem from './portfolioItem';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: DassaultSalesClient,
) => Promise<INodeExecutionData[]>;

const sequential: Record<string, Record<string, Operation>> = {
	leadOpportunity: { search: leadOpportunity.search.execute },
	portfolioItem: { getMany: portfolioItem.getMany.execute },
};

const parallel: Record<string, Record<string, Prepare>> = {
	leadOpportunity: {
		create: leadOpportunity.create.prepare,
		get: leadOpportunity.get.prepare,
		update: leadOpportunity.update.prepare,
		upsert: leadOpportunity.upsert.prepare,
	},
};

/** Items read between two yields to the event loop. */
const READ_BATCH = 10;

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

/** Options › Concurrency of the first item (0 or unset: learned; see transport/concurrency.ts). */
function concurrencyOption(this: IExecuteFunctions): number | undefined {
	const options = objectParameter.call(this, 'options', 0, 'Options');
	const value = integerParameter.call(this, options.concurrency ?? 0, 0, 'Concurrency', {
		min: 0,
		max: 32,
	});
	return value === 0 ? undefined : value;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const kinds = items.map((_, itemIndex) => {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const prepare = parallel[resource]?.[operation];
		const run = sequential[resource]?.[operation];
		if (!prepare && !run) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" of "${resource}" is not supported`,
				{ itemIndex },
			);
		}
		return { prepare, run };
	});
	if (items.length > 0 && kinds.every((kind) => kind.prepare))
		return [
			await runParallel.call(
				this,
				kinds.map((kind) => kind.prepare!),
			),
		];

	const client = new DassaultSalesClient(this);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const { prepare, run } = kinds[itemIndex];
		try {
			if (run) output.push(...(await run.call(this, itemIndex, client)));
			else
				output.push(...(await (await prepare!.call(this, itemIndex, new Execution(client))).run()));
		} catch (caught) {
			const error = asNodeError(this.getNode(), caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			output.push(errorItem(error, itemIndex));
		}
	}
	return [output];
}

async function runParallel(
	this: IExecuteFunctions,
	prepares: Prepare[],
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const client = new DassaultSalesClient(this, { concurrency: concurrencyOption.call(this) });
	const execution = new Execution(client);
	// Items are read one after the other while the first ones are already sent: reading an item
	// (n8n evaluates its expressions) costs CPU that would otherwise delay the first request.
	const node = this.getNode();
	const ready = prepares.map(() => {
		let resolve!: (item: PreparedItem) => void;
		const promise = new Promise<PreparedItem>((r) => (resolve = r));
		return { promise, resolve };
	});
	// Set once the items have run or the node has failed: items not read by then never run, so
	// they are not read either.
	let settled = false;
	const reading = (async () => {
		for (let itemIndex = 0; itemIndex < prepares.length && !settled; itemIndex++) {
			let prepared: PreparedItem;
			try {
				const item = await prepares[itemIndex].call(this, itemIndex, execution);
				prepared = {
					keys: item.keys,
					run: async () => {
						try {
							return await item.run();
						} catch (caught) {
							throw asNodeError(node, caught, itemIndex);
						}
					},
				};
			} catch (caught) {
				// Bad input fails at its turn, as it would have run: earlier items are still sent.
				const error = asNodeError(node, caught, itemIndex);
				prepared = { keys: [], run: async () => await Promise.reject(error) };
			}
			ready[itemIndex].resolve(prepared);
			// Let answers in (and requests out) between items.
			if (itemIndex % READ_BATCH === READ_BATCH - 1) await sleep(0);
		}
		execution.allRead();
	})();
	// Without Continue On Fail this throws the failure of the lowest item index; the reading ends
	// first, so that nothing of this execution runs on after the node has failed.
	let outcomes: Array<ItemOutcome<INodeExecutionData[]>>;
	try {
		outcomes = await runItemsInParallel(
			ready.map((r) => r.promise),
			client.concurrency.maximum,
			!continueOnFail,
		);
	} finally {
		settled = true;
		await reading;
	}
	return outcomes.flatMap((outcome, itemIndex) =>
		outcome.ok
			? outcome.value
			: [errorItem(asNodeError(this.getNode(), outcome.error, itemIndex), itemIndex)],
	);
}
