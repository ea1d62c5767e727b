/**
 * `npm run bench`: the figures users feel, each a median of several runs with min and max, ratios
 * taken within one run, written to bench/REPORT.md and bench/figures.json.
 * `--smoke` runs every benchmark once at tiny sizes and writes nothing (part of `npm test`).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { catchUp } from './catchup';
import { coldLoadMs, packedSizeBytes } from './coldload';
import { figure, repeat, type Figure } from './lib';
import { perItemOverhead } from './overhead';
import { atQuota, QUOTA, WINDOW_MS } from './quota';
import { DEFAULT_CONCURRENCY, resolveIds } from './resolve';

const smoke = process.argv.includes('--smoke');
const size = (full: number, tiny: number) => (smoke ? tiny : full);
const runs = (full: number) => (smoke ? 1 : full);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
	const figures: Figure[] = [];
	const notes: string[] = [];

	log('1. at the quota');
	const quota = await repeat(runs(3), (i) => atQuota(size(1000, 20), 100 + i));
	figures.push(
		figure(
			'1. At the quota: wall time ÷ quota floor',
			'×',
			quota.map((r) => r.ratio),
			{ text: '≤ 1.10', met: (m) => m <= 1.1 },
		),
		figure(
			'1. At the quota: 429s received',
			'count',
			quota.map((r) => r.rateLimited),
			{ text: '≤ 1 per window', met: () => quota.every((r) => r.rateLimited <= r.windows) },
		),
		figure(
			'1. At the quota: items failed',
			'count',
			quota.map((r) => r.failed),
			{ text: '0', met: (m) => m === 0 && quota.every((r) => r.failed === 0) },
		),
	);
	notes.push(
		`1: ${size(1000, 20)} items, quota ${QUOTA} per ${WINDOW_MS / 1000} s, 10 ms latency; floor ${Math.round(quota[0].floorMs / 1000)} s for ${quota[0].minimumRequests} requests; requests sent ${quota.map((r) => r.requests).join(', ')}.`,
	);

	log('2. latency-bound resolution');
	const leads = size(2000, 40);
	const resolution = await repeat(runs(3), async () => {
		const serial = await resolveIds(leads, 1);
		const parallel = await resolveIds(leads, DEFAULT_CONCURRENCY);
		if (parallel.records !== leads || serial.records !== leads)
			throw new Error(`resolution returned ${parallel.records}/${serial.records} of ${leads}`);
		return {
			speedup: serial.wallMs / parallel.wallMs,
			ordered: serial.ids.join() === parallel.ids.join(),
			serial: serial.wallMs,
			parallel: parallel.wallMs,
		};
	});
	figures.push(
		figure(
			`2. Resolution: concurrency 1 ÷ default (${DEFAULT_CONCURRENCY}) wall time`,
			'×',
			resolution.map((r) => r.speedup),
			{ text: '≥ 6', met: (m) => m >= 6 && resolution.every((r) => r.ordered) },
		),
	);
	notes.push(
		`2: ${leads} ids at 25 ms per GET; wall ${resolution.map((r) => `${Math.round(r.serial)} ms → ${Math.round(r.parallel)} ms`).join(', ')}; order kept: ${resolution.every((r) => r.ordered)}.`,
	);

	log('3. trigger catch-up');
	const catchups = await repeat(runs(3), (i) => catchUp(size(5000, 60), 90, 7 + i));
	figures.push(
		figure(
			'3. Trigger catch-up: requests ÷ minimum',
			'×',
			catchups.map((r) => r.ratio),
			{ text: '≤ 1.05', met: (m) => m <= 1.05 },
		),
		figure(
			'3. Trigger catch-up: wall time ÷ floor',
			'×',
			catchups.map((r) => r.wallMs / r.floorMs),
		),
	);
	notes.push(
		`3: ${catchups[0].changes} changes over 90 days on ${catchups[0].distinctChanged} distinct leads, emitted ${catchups.map((r) => r.emitted).join(', ')} in ${catchups.map((r) => r.polls).join(', ')} poll(s); requests ${catchups.map((r) => `${r.requests}/${r.minimum}`).join(', ')}; 10 ms latency.`,
	);
	for (const r of catchups)
		if (r.emitted !== r.distinctChanged)
			throw new Error(`catch-up emitted ${r.emitted} of ${r.distinctChanged}`);

	log('4. per-item overhead');
	const overhead = await repeat(runs(5), () => perItemOverhead(size(10_000, 200)));
	figures.push(
		figure(
			'4. Per-item CPU (build, validate, normalise)',
			'µs',
			overhead.map((r) => r.microsecondsPerItem),
			{ text: '≤ 50 µs', met: (m) => m <= 50 },
		),
	);

	log('5. cold load');
	const loads = await repeat(runs(7), async () => coldLoadMs());
	figures.push(
		figure('5. Cold load of node, trigger and credential', 'ms', loads, {
			text: '≤ 50 ms',
			met: (m) => m <= 50,
		}),
		figure('5. Packed tarball', 'KB', [packedSizeBytes() / 1024], {
			text: '≤ 150 KB',
			met: (m) => m <= 150,
		}),
	);

	const table = figures.map(
		(f) =>
			`| ${f.name} | ${f.median} ${f.unit} | ${f.min} – ${f.max} | ${f.runs} | ${f.goal ?? '–'} | ${f.met === undefined ? '–' : f.met ? 'met' : '**not met**'} |`,
	);
	for (const line of table) log(line);
	if (smoke) {
		log(`bench smoke: ${figures.length} figures measured`);
		return;
	}
	const report = [
		'# Benchmarks',
		'',
		`Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. Medians with min – max over the runs; ratios are taken within one run.`,
		'',
		'| Figure | Median | Min – max | Runs | Goal | |',
		'|---|---|---|---|---|---|',
		...table,
		'',
		'## Setup',
		'',
		...notes.map((n) => `- ${n}`),
		'- 4: CPU time (user + system) of one execution of "Create" over the items, the HTTP call answered in process; JIT warmed by one item first.',
		"- 5: a fresh `node` process with n8n-workflow and zod already loaded (as n8n has them), timing `require` of the three built modules; the size is `npm pack`'s tarball.",
		'',
	].join('\n');
	writeFileSync(join(__dirname, '..', '..', '..', 'bench', 'REPORT.md'), report);
	writeFileSync(
		join(__dirname, '..', '..', '..', 'bench', 'figures.json'),
		`${JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, figures }, null, 2)}\n`,
	);
	log('wrote bench/REPORT.md and bench/figures.json');
}

main().catch((error) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
