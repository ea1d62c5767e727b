/**
 * `npm run bench` is not part of `npm test` (minutes of measuring), but its smoke run is: every
 * benchmark once at tiny sizes, so the benchmarks cannot rot. Figures at these sizes mean nothing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

it('every benchmark runs at tiny sizes', () => {
	execFileSync(
		process.execPath,
		[
			join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
			'-p',
			join(root, 'bench', 'tsconfig.json'),
		],
		{ cwd: root },
	);
	const output = execFileSync(
		process.execPath,
		[join(root, '.build', 'bench', 'bench', 'run.js'), '--smoke'],
		{ cwd: root, encoding: 'utf8' },
	);
	expect(output).toContain('bench smoke: 31 figures measured');
	for (const name of [
		// Each shape of issue 23 on the wire: one run, Loop Over Items, two executions on one key,
		// an epoch Reset, no rate-limit headers.
		'1. At the quota, Create or Update, 150 ms, one run',
		'1. At the quota, Create, 150 ms, one run',
		'1. At the quota, Create or Update, 150 ms, Loop Over Items of 10',
		'1. At the quota, Create, 150 ms, Loop Over Items of 10',
		'1. Two executions at once on one key',
		'X-RateLimit-Reset in epoch seconds',
		'no rate-limit headers',
		'429s after the first window that sent any',
		'connections per request 1.00',
		'2. Resolution',
		'2. Get by id, 400 ms',
		'3. Trigger catch-up',
		'4. Per-item CPU',
		'5. Cold load',
		'5. Packed tarball',
	])
		expect(output).toContain(name);
	// 6 boots real n8n: test/e2e/bench-peer.test.ts runs it at tiny sizes instead.
	expect(output).toContain('6. Peer comparison: skipped in smoke mode');
}, 180_000);
