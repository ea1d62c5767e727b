// `npm run sandbox`: compiles to .build/cli.js and runs here. Prints the URL and a ready line,
// stops cleanly on SIGINT / SIGTERM.
import { startSandbox } from './index';
import { DEFAULTS } from './options';
import { DEFAULT_HANDSHAKE_ROUND_TRIPS } from './wire';
import { type CliOptions, helpText, parseCliOptions } from './cli-options';

async function main(): Promise<void> {
	let parsed: CliOptions;
	try {
		parsed = parseCliOptions(process.argv.slice(2), process.env);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exitCode = 2;
		return;
	}
	if (parsed.help) {
		process.stdout.write(helpText());
		return;
	}
	const options = {
		...parsed.options,
		log: parsed.verbose ? (line: string) => process.stdout.write(`${line}\n`) : undefined,
	};
	const sandbox = await startSandbox(options);
	const { seed, apiKeys, quota, windowMs, faults, wire, rateLimitHeaders } = sandbox.admin.config();
	const wireText = !wire
		? 'off'
		: `${wire.minMs === wire.maxMs ? wire.minMs : `${wire.minMs}-${wire.maxMs}`} ms round trip, ` +
			`${wire.handshakeRoundTrips ?? DEFAULT_HANDSHAKE_ROUND_TRIPS} handshake round trips per new connection`;
	process.stdout.write(`Sandbox URL: ${sandbox.url}\n`);
	process.stdout.write(
		`Sandbox ready: seed ${seed}, ${sandbox.admin.listLeads().length} leads, ${sandbox.admin.portfolioItems().length} portfolio items, ` +
			`API key${apiKeys.length > 1 ? 's' : ''} ${apiKeys.join(', ')}, quota ${quota}/${windowMs} ms, ` +
			`rate-limit headers ${rateLimitHeaders}, faults ${Object.keys(faults).join(', ') || 'none'}, ` +
			`wire ${wireText}; admin API at ${sandbox.url}/__sandbox/\n`,
	);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		void sandbox.stop().then(() => {
			process.stdout.write(`Sandbox stopped (${signal})\n`);
		});
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	const err = error as NodeJS.ErrnoException;
	const hint =
		err.code === 'EADDRINUSE' ? ` (port in use; try --port, default ${DEFAULTS.port})` : '';
	process.stderr.write(`Sandbox failed to start: ${err.message}${hint}\n`);
	process.exitCode = 1;
});
