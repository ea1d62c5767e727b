// `npm run sandbox` flags and SANDBOX_* environment variables.
import { helpText, parseCliOptions, parseLatency } from '../../sandbox/cli-options';
import { initialConfig } from '../../sandbox/options';

describe('CLI options', () => {
	test('no flags, no environment: defaults apply', () => {
		expect(parseCliOptions([], {})).toEqual({ options: {}, verbose: false, help: false });
	});

	test('flags, in both spellings', () => {
		const { options, verbose } = parseCliOptions(
			[
				'--host',
				'0.0.0.0',
				'--port=4011',
				'--seed',
				'9',
				'--quota',
				'100',
				'--window-ms',
				'1000',
				'--api-keys',
				'a, b',
				'--leads',
				'50',
				'--portfolio-items=200',
				'--spec',
				'/x.yaml',
				'--verbose',
			],
			{},
		);
		expect(options).toEqual({
			host: '0.0.0.0',
			port: 4011,
			seed: 9,
			quota: 100,
			windowMs: 1000,
			apiKeys: ['a', 'b'],
			leadCount: 50,
			portfolioItemCount: 200,
			specPath: '/x.yaml',
		});
		expect(verbose).toBe(true);
	});

	test('environment variables, overridden by flags', () => {
		const env = {
			SANDBOX_PORT: '5000',
			SANDBOX_SEED: '3',
			SANDBOX_QUOTA: '7',
			SANDBOX_VERBOSE: '1',
		};
		expect(parseCliOptions([], env)).toEqual({
			options: { port: 5000, seed: 3, quota: 7 },
			verbose: true,
			help: false,
		});
		expect(parseCliOptions(['--port', '6000'], env).options.port).toBe(6000);
		expect(parseCliOptions([], { SANDBOX_VERBOSE: 'false' }).verbose).toBe(false);
	});

	test('fault shortcuts, latency and an operation filter', () => {
		const { options } = parseCliOptions(
			[
				'--fault-unavailable',
				'0.1',
				'--fault-rate-limited',
				'0.05',
				'--fault-reset-before',
				'0.02',
				'--fault-reset-after=0.03',
				'--latency',
				'uniform:20:200',
				'--fault-operations',
				'create,getLeadsOpportunities_v1',
			],
			{},
		);
		const operations = ['create', 'getLeadsOpportunities_v1'];
		expect(options.faults).toEqual({
			unavailable: { probability: 0.1, operations },
			rateLimited: { probability: 0.05, operations },
			resetBeforeWrite: { probability: 0.02, operations },
			resetAfterWrite: { probability: 0.03, operations },
			latency: { distribution: 'uniform', minMs: 20, maxMs: 200, operations },
		});
	});

	test('a JSON faults configuration, with shortcuts overriding its entries', () => {
		const json = JSON.stringify({
			unavailable: { probability: 0.5 },
			latency: { distribution: 'fixed', ms: 5 },
		});
		expect(
			parseCliOptions(['--fault-unavailable', '0.2'], { SANDBOX_FAULTS: json }).options.faults,
		).toEqual({
			unavailable: { probability: 0.2 },
			latency: { distribution: 'fixed', ms: 5 },
		});
	});

	test('--days / SANDBOX_DAYS: how days are stored; the sandbox refuses another value', () => {
		expect(parseCliOptions(['--days', 'midnight'], {}).options).toEqual({ days: 'midnight' });
		expect(parseCliOptions([], { SANDBOX_DAYS: 'midnight' }).options).toEqual({ days: 'midnight' });
		const bad = parseCliOptions(['--days=noon'], {}).options;
		expect(() => initialConfig(bad, [])).toThrow('days must be one of as-sent, midnight');
		expect(initialConfig({}, []).days).toBe('as-sent');
	});

	test('latency forms', () => {
		expect(parseLatency('50')).toEqual({ distribution: 'fixed', ms: 50 });
		expect(parseLatency('fixed:5')).toEqual({ distribution: 'fixed', ms: 5 });
		expect(parseLatency('normal:100:30')).toEqual({
			distribution: 'normal',
			meanMs: 100,
			stdDevMs: 30,
		});
		expect(() => parseLatency('gamma:1:2')).toThrow('--latency must be');
		expect(() => parseLatency('uniform:1')).toThrow('--latency must be');
	});

	test('refuses unknown flags, bad numbers, missing values and bad JSON', () => {
		expect(() => parseCliOptions(['--prot', '1'], {})).toThrow("Unknown argument '--prot'");
		expect(() => parseCliOptions(['--port', 'x'], {})).toThrow('--port must be an integer');
		expect(() => parseCliOptions(['--seed', '1.5'], {})).toThrow('--seed must be an integer');
		expect(() => parseCliOptions(['--port'], {})).toThrow('--port needs a value');
		expect(() => parseCliOptions(['--faults', '{'], {})).toThrow('--faults is not valid JSON');
	});

	test('--help lists every flag with its variable', () => {
		expect(parseCliOptions(['--help'], {}).help).toBe(true);
		const text = helpText();
		for (const flag of ['--port', '--seed', '--latency', '--fault-reset-after', 'SANDBOX_QUOTA'])
			expect(text).toContain(flag);
	});
});
