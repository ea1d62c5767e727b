/**
 * 4. Per-item overhead: the node's own CPU per "Create" item (parameters → body → validation →
 * transport → output) with the HTTP call answered at once in process, so no server, socket or JSON
 * over the wire is counted. Baseline in the same run: the same loop with an empty operation cost
 * (only the mock context's work).
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { DassaultSales } from '../nodes/DassaultSales/DassaultSales.node';
import { createParameters } from '../test/helpers/fixtures';
import { executeFunctions } from '../test/helpers/n8n';

const answer = {
	statusCode: 201,
	// No quota headers: a fixed "remaining" would be a server that never counts, and the gate would wait.
	headers: {},
	body: {
		partnerLeadOpportunityId: 'P',
		dsLeadOpportunityId: 'ABCD-123456',
		action: 'create',
		info: { success: true, statusCode: 201 },
		error: null,
	},
};

/** The mock context with the HTTP call answered at once, in process. */
function stubbedContext(parameters: Record<string, unknown>, items: number) {
	const ctx = executeFunctions({
		parameters,
		items: Array.from({ length: items }, () => ({ json: {} })),
	});
	(ctx.helpers as unknown as Record<string, unknown>).httpRequestWithAuthentication = async (
		_type: string,
		_options: IHttpRequestOptions,
	) => answer;
	return ctx;
}

export async function perItemOverhead(items: number) {
	const parameters = createParameters();
	const node = new DassaultSales();
	await node.execute.call(stubbedContext(parameters, 50)); // warm-up: compile, JIT, caches
	const ctx = stubbedContext(parameters, items);
	const cpu = process.cpuUsage();
	const [output] = await node.execute.call(ctx);
	const used = process.cpuUsage(cpu);
	if (
		output.length !== items ||
		output.some((item) => item.json.dsLeadOpportunityId !== 'ABCD-123456')
	)
		throw new Error('overhead run produced wrong output');
	return { microsecondsPerItem: (used.user + used.system) / items };
}
