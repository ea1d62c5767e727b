/**
 * 3. Trigger catch-up: the trigger polls after a 90-day gap holding `changes` modifications.
 * Requests issued ÷ the minimum (one search per 7-day window + one GET per event emitted), and
 * wall time ÷ its floor at the default concurrency (each window's search, then its GETs in rounds
 * of the most the transport keeps in flight, MAX_IN_FLIGHT, each round one latency).
 */
import { MAX_IN_FLIGHT } from '../nodes/DassaultSales/transport/requestsInFlight';
import { pollTrigger } from '../nodes/DassaultSalesTrigger/poll';
import { startSandbox } from '../sandbox';
import { testCredentials } from '../test/helpers/n8n';
import { pollFunctions } from '../test/helpers/poll';
import { ms } from './lib';

const DAY = 86_400_000;
const LATENCY_MS = 10;

export async function catchUp(changes: number, gapDays: number, seed: number) {
	const clock = { t: Date.parse('2026-01-01T00:00:00.000Z') };
	const now = () => clock.t;
	const sandbox = await startSandbox({
		port: 0,
		seed,
		now,
		leadCount: Math.max(50, Math.round(changes / 4)),
		quota: 1_000_000,
		faults: { latency: { distribution: 'fixed', ms: LATENCY_MS } },
	});
	try {
		const staticData = {};
		const ctx = pollFunctions({
			parameters: { event: 'leadOpportunityUpdated', options: {} },
			staticData,
			credentials: testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' }),
			budgetMs: 45_000,
		});
		const env = { now, sleep: async (wait: number) => void (clock.t += wait) };
		await pollTrigger(ctx, env); // activation: sets the cursor, emits nothing
		const start = clock.t;
		for (let i = 0; i < changes; i++) {
			clock.t = start + Math.round(((i + 1) * gapDays * DAY) / (changes + 1));
			sandbox.admin.randomChanges(1, seed * 100_000 + i);
		}
		const changed = new Set(
			sandbox.admin
				.changes()
				.filter((c) => Date.parse(c.modifiedDate) > start)
				.map((c) => c.id),
		);
		clock.t = start + gapDays * DAY + 60_000;
		const before = sandbox.admin.counters();
		const count = (c: typeof before) => Object.values(c.requests).reduce((a, b) => a + b, 0);
		const started = process.hrtime.bigint();
		let emitted = 0;
		let polls = 0;
		for (;;) {
			polls++;
			const output = await pollTrigger(ctx, env);
			emitted += output?.[0].length ?? 0;
			if (!output || emitted >= changed.size) break;
			if (polls > 100) throw new Error('catch-up did not converge');
		}
		const wallMs = ms(started);
		const requests = count(sandbox.admin.counters()) - count(before);
		const windows = Math.ceil((gapDays * DAY + 120_000) / (7 * DAY));
		const minimum = windows + emitted;
		const floorMs = windows * LATENCY_MS + Math.ceil(emitted / MAX_IN_FLIGHT) * LATENCY_MS;
		return {
			wallMs,
			floorMs,
			requests,
			minimum,
			ratio: requests / minimum,
			emitted,
			distinctChanged: changed.size,
			changes,
			polls,
		};
	} finally {
		await sandbox.stop();
	}
}
