/**
 * 1. At the quota: "Create or Update" items against a sandbox limited to 50 requests per 2 s with
 * 10 ms latency. The floor is the time the quota allows for the fewest requests the work needs
 * (a search and a create per new lead-opportunity): requests ÷ quota × window.
 */
import { startSandbox } from '../sandbox';
import { createParameters } from '../test/helpers/fixtures';
import { runNode, testCredentials } from '../test/helpers/n8n';
import { ms } from './lib';

export const QUOTA = 50;
export const WINDOW_MS = 2000;

export async function atQuota(items: number, seed: number) {
	const sandbox = await startSandbox({
		port: 0,
		seed,
		quota: QUOTA,
		windowMs: WINDOW_MS,
		leadCount: 10,
		faults: { latency: { distribution: 'fixed', ms: 10 } },
	});
	try {
		const offer = sandbox.admin.portfolioItems()[0].salesPortfolioId;
		const started = process.hrtime.bigint();
		const output = await runNode({
			parameters: (i) =>
				createParameters({
					operation: 'upsert',
					partnerLeadOpportunityId: `BENCH-${seed}-${i}`,
					offerLines: { offerLine: [{ offerNameId: offer, amount: i, revenueType: 'PxC' }] },
				}),
			items: Array.from({ length: items }, () => ({ json: {} })),
			credentials: testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' }),
			continueOnFail: true,
			checkContract: false,
		});
		const wallMs = ms(started);
		const counters = sandbox.admin.counters();
		const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
		const minimumRequests = items * 2;
		const floorMs = (minimumRequests / QUOTA) * WINDOW_MS;
		const windows = Math.ceil(wallMs / WINDOW_MS);
		return {
			wallMs,
			floorMs,
			ratio: wallMs / floorMs,
			requests,
			minimumRequests,
			rateLimited: counters.rateLimited + counters.faults.rateLimited,
			windows,
			failed: output.filter((item) => item.json.error !== undefined).length,
		};
	} finally {
		await sandbox.stop();
	}
}
