/**
 * 2. Latency-bound resolution: a search over 120 days returning every lead (2,000), then one GET
 * per id at 25 ms latency. Wall time at the default concurrency ÷ wall time at concurrency 1.
 */
import { startSandbox } from '../sandbox';
import { runNode, testCredentials } from '../test/helpers/n8n';
import { ms } from './lib';

export async function resolveIds(leads: number, concurrency: number) {
	const sandbox = await startSandbox({
		port: 0,
		seed: 3,
		leadCount: leads,
		quota: 1_000_000,
		faults: { latency: { distribution: 'fixed', ms: 25, operations: ['get'] } },
	});
	try {
		const expected = sandbox.admin.listLeads();
		const started = process.hrtime.bigint();
		const output = await runNode({
			parameters: {
				resource: 'leadOpportunity',
				operation: 'search',
				filters: { modifiedAfter: new Date(Date.now() - 130 * 86_400_000).toISOString() },
				output: 'records',
				simplify: false, // whole records, as measured before Simplify existed
				returnAll: true,
				options: { concurrency },
			},
			credentials: testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' }),
			checkContract: false,
		});
		const wallMs = ms(started);
		const ids = output.map((item) => item.json.dsLeadOpportunityId as string);
		return { wallMs, ids, records: output.length, expected: expected.length };
	} finally {
		await sandbox.stop();
	}
}

/** Search's default Concurrency: 0, learned from the quota and the round trip. */
export const DEFAULT_CONCURRENCY = 0;
