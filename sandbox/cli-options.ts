// Command-line flags and SANDBOX_* environment variables → SandboxOptions. A flag wins over its
// variable; `--name value` and `--name=value` both work.
import type { FaultName, FaultsConfig, LatencyRule } from './faults';
import type { SandboxOptions } from './options';
import type { WireConfig } from './wire';

export interface CliOptions {
	options: SandboxOptions;
	verbose: boolean;
	help: boolean;
}

/** Each flag, its environment variable and what it means (also the --help text). */
export const FLAGS: ReadonlyArray<readonly [flag: string, env: string, help: string]> = [
	['host', 'SANDBOX_HOST', 'address to listen on (default 127.0.0.1)'],
	['port', 'SANDBOX_PORT', 'port (default 4010; 0 = any free port)'],
	['seed', 'SANDBOX_SEED', 'seed of the store, ids and faults (default 1)'],
	[
		'api-keys',
		'SANDBOX_API_KEYS',
		'accepted X-API-Key values, comma-separated (default sandbox-key)',
	],
	['quota', 'SANDBOX_QUOTA', 'requests per window per key (default 1000)'],
	['window-ms', 'SANDBOX_WINDOW_MS', 'rate-limit window in ms (default 60000)'],
	[
		'latency',
		'SANDBOX_LATENCY',
		'added latency: MS | fixed:MS | uniform:MIN:MAX | normal:MEAN:STDDEV',
	],
	['fault-unavailable', 'SANDBOX_FAULT_UNAVAILABLE', 'probability of a 503 ERR899'],
	['fault-rate-limited', 'SANDBOX_FAULT_RATE_LIMITED', 'probability of a spurious 429'],
	[
		'fault-reset-before',
		'SANDBOX_FAULT_RESET_BEFORE',
		'probability of a connection reset before the write',
	],
	[
		'fault-reset-after',
		'SANDBOX_FAULT_RESET_AFTER',
		'probability of a connection reset after the write',
	],
	[
		'fault-operations',
		'SANDBOX_FAULT_OPERATIONS',
		'limit the four faults and latency above to these operationIds/kinds, comma-separated',
	],
	[
		'faults',
		'SANDBOX_FAULTS',
		'full faults configuration as JSON (see README); the flags above override its entries',
	],
	['leads', 'SANDBOX_LEADS', 'number of seeded lead-opportunities (default 300)'],
	['portfolio-items', 'SANDBOX_PORTFOLIO_ITEMS', 'number of seeded portfolio items (default 3049)'],
	[
		'days',
		'SANDBOX_DAYS',
		'closeDate/nextMilestoneDate storage: as-sent (default) or midnight (midnight UTC of the day)',
	],
	[
		'wire-ms',
		'SANDBOX_WIRE_MS',
		'the internet: round trip MS or MIN-MAX (uniform) per request, handshakes on a new connection',
	],
	[
		'wire-handshakes',
		'SANDBOX_WIRE_HANDSHAKES',
		'round trips of the handshakes per new connection with --wire-ms (default 2: TCP + TLS 1.3)',
	],
	[
		'rate-limit-headers',
		'SANDBOX_RATE_LIMIT_HEADERS',
		'X-RateLimit-Reset as seconds (default, until the window ends), epoch (its end), or none',
	],
	['spec', 'SANDBOX_SPEC', 'path of the OpenAPI YAML (default test/fixtures/...)'],
	['verbose', 'SANDBOX_VERBOSE', 'log one line per request (flag without value)'],
	['help', '', 'print this help'],
];

const BOOLEAN_FLAGS = new Set(['verbose', 'help']);

function number(name: string, raw: string, integer: boolean): number {
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
		throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'}, got '${raw}'`);
	}
	return value;
}

export function parseLatency(raw: string): LatencyRule {
	const parts = raw.split(':');
	const n = (i: number) => number('latency', parts[i] ?? '', false);
	if (parts.length === 1) return { distribution: 'fixed', ms: n(0) };
	if (parts[0] === 'fixed' && parts.length === 2) return { distribution: 'fixed', ms: n(1) };
	if (parts[0] === 'uniform' && parts.length === 3)
		return { distribution: 'uniform', minMs: n(1), maxMs: n(2) };
	if (parts[0] === 'normal' && parts.length === 3)
		return { distribution: 'normal', meanMs: n(1), stdDevMs: n(2) };
	throw new Error(
		`--latency must be MS, fixed:MS, uniform:MIN:MAX or normal:MEAN:STDDEV, got '${raw}'`,
	);
}

/** `--wire-ms`: `MS` (fixed) or `MIN-MAX` (uniform), ms >= 0. */
export function parseWireMs(raw: string): WireConfig {
	const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(raw);
	if (!m) throw new Error(`--wire-ms must be MS or MIN-MAX (e.g. 400 or 100-200), got '${raw}'`);
	const minMs = Number(m[1]);
	const maxMs = m[2] === undefined ? minMs : Number(m[2]);
	if (maxMs < minMs) throw new Error(`--wire-ms: MAX must be >= MIN, got '${raw}'`);
	return { minMs, maxMs };
}

/** Raw string values by flag name, from the environment then the command line. */
function collect(argv: readonly string[], env: NodeJS.ProcessEnv): Map<string, string> {
	const values = new Map<string, string>();
	for (const [flag, variable] of FLAGS) {
		const value = variable ? env[variable] : undefined;
		if (value !== undefined && value !== '') values.set(flag, value);
	}
	for (let i = 0; i < argv.length; i++) {
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!m || !FLAGS.some(([flag]) => flag === m[1]))
			throw new Error(`Unknown argument '${argv[i]}' (try --help)`);
		const [, flag, inline] = m;
		if (BOOLEAN_FLAGS.has(flag)) values.set(flag, inline ?? 'true');
		else if (inline !== undefined) values.set(flag, inline);
		else if (i + 1 < argv.length) values.set(flag, argv[++i]);
		else throw new Error(`--${flag} needs a value`);
	}
	return values;
}

export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
	const values = collect(argv, env);
	const get = (flag: string) => values.get(flag);
	const options: SandboxOptions = {};
	const int = (flag: string) => {
		const raw = get(flag);
		return raw === undefined ? undefined : number(flag, raw, true);
	};
	options.host = get('host');
	options.port = int('port');
	options.seed = int('seed');
	options.quota = int('quota');
	options.windowMs = int('window-ms');
	options.leadCount = int('leads');
	options.portfolioItemCount = int('portfolio-items');
	options.specPath = get('spec');
	options.days = get('days') as SandboxOptions['days'];
	options.rateLimitHeaders = get('rate-limit-headers') as SandboxOptions['rateLimitHeaders'];
	const wireMs = get('wire-ms');
	const handshakes = int('wire-handshakes');
	if (wireMs !== undefined)
		options.wire = {
			...parseWireMs(wireMs),
			...(handshakes === undefined ? {} : { handshakeRoundTrips: handshakes }),
		};
	else if (handshakes !== undefined) throw new Error('--wire-handshakes needs --wire-ms');
	const keys = get('api-keys');
	if (keys !== undefined)
		options.apiKeys = keys
			.split(',')
			.map((k) => k.trim())
			.filter(Boolean);

	let faults: FaultsConfig = {};
	const json = get('faults');
	if (json !== undefined) {
		try {
			faults = JSON.parse(json) as FaultsConfig;
		} catch (error) {
			throw new Error(`--faults is not valid JSON: ${(error as Error).message}`);
		}
	}
	const operations = get('fault-operations')
		?.split(',')
		.map((op) => op.trim())
		.filter(Boolean);
	const shortcuts: ReadonlyArray<readonly [string, Exclude<FaultName, 'latency'>]> = [
		['fault-unavailable', 'unavailable'],
		['fault-rate-limited', 'rateLimited'],
		['fault-reset-before', 'resetBeforeWrite'],
		['fault-reset-after', 'resetAfterWrite'],
	];
	for (const [flag, name] of shortcuts) {
		const raw = get(flag);
		if (raw !== undefined)
			faults[name] = {
				probability: number(flag, raw, false),
				...(operations ? { operations } : {}),
			};
	}
	const latency = get('latency');
	if (latency !== undefined)
		faults.latency = { ...parseLatency(latency), ...(operations ? { operations } : {}) };
	if (Object.keys(faults).length > 0) options.faults = faults;

	// Leave unset options out, so the defaults apply.
	for (const key of Object.keys(options) as Array<keyof SandboxOptions>)
		if (options[key] === undefined) delete options[key];
	const truthy = (raw: string | undefined) =>
		raw !== undefined && !['0', 'false', 'no', ''].includes(raw.toLowerCase());
	return { options, verbose: truthy(get('verbose')), help: truthy(get('help')) };
}

export function helpText(): string {
	const rows = FLAGS.map(([flag, env, help]) => `  --${flag.padEnd(20)} ${env.padEnd(28)} ${help}`);
	return [
		'Usage: npm run sandbox -- [flags]',
		'',
		'  flag                   environment variable         meaning',
		...rows,
		'',
	].join('\n');
}
