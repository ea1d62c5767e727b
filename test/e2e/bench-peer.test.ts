// Benchmark 6 (bench/peer.ts) at tiny sizes in the real n8n, so that it cannot rot: the bench's
// smoke run skips it (it must not start n8n). Both workflows of each workload run, our node's and
// the HTTP Request node's, with 0 failed items and the same end state as asked: 10 "Create or
// Update" items of which 3 update existing leads (both branches of the HTTP side's If), and 20 ids
// resolved in the search's order. Figures at these sizes mean nothing.
import { peerComparison } from '../../bench/peer';

it('runs both sides of both workloads in real n8n with 0 failed items', async () => {
	const { upsert, resolve } = await peerComparison({ items: 10, existing: 3, leads: 20, runs: 1 });
	for (const run of [...upsert, ...resolve]) {
		for (const side of [run.ours, run.http]) {
			expect(side).toMatchObject({ failed: 0, wrong: 0, rateLimited: 0 });
			expect(side.wallMs).toBeGreaterThan(0);
		}
		expect(run.ratio).toBeGreaterThan(0);
	}
	// Create or Update: the HTTP side searches then writes per item; ours searches the 10 partner
	// ids at once, reads the 3 it found (to map and compare) and writes: 1 + 3 + 7 POST + 3 PATCH
	// (the seeded leads hold other values than the items).
	expect(upsert[0].ours.requests).toBe(14);
	expect(upsert[0].http.requests).toBe(20);
	// Resolution: the same searches (one per 7-day window) and a GET per id.
	expect(resolve[0].http.requests).toBe(resolve[0].ours.requests);
}, 600_000);
