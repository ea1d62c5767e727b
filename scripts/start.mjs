#!/usr/bin/env node
// `npm start`: a real n8n with this package loaded, next to the local 3DS sandbox, ready to try.
//
//   1. builds and packs the package (npm run build, npm pack) and copies it into the user folder;
//   2. installs n8n 2.41.1 into e2e/n8n on first need (scripts/ensure-n8n.mjs, ~5 min once);
//   3. starts the sandbox (sandbox/, compiled to .build/) on 127.0.0.1:$SANDBOX_PORT (4010);
//   4. imports the credential "3DS Sandbox" and the examples/*.json workflows not yet imported;
//   5. starts n8n on 127.0.0.1:$N8N_PORT (5678) with the persistent user folder .n8n-local/,
//      sets up the owner account on first run, and prints how to log in. Ctrl-C stops both.
//
// Environment:
//   N8N_PORT, SANDBOX_PORT                  ports (defaults 5678, 4010)
//   N8N_OWNER_EMAIL, N8N_OWNER_PASSWORD     the owner account created on the first run
//                                           (default owner@example.com and a generated password,
//                                           saved in .n8n-local/owner.json)
//   N8N_LOCAL_FOLDER                        the user folder (default .n8n-local)
//   DASSAULT_API_KEY                        use a real 3DS environment instead of the sandbox:
//   DASSAULT_ENVIRONMENT                      partnerDevelopment (default), qualityAssurance,
//                                             preProduction, postProduction, production, custom
//   DASSAULT_BASE_URL                         with DASSAULT_ENVIRONMENT=custom
//   DASSAULT_PARTNER_ID                       your partner (legal entity) id
//   other N8N_* variables                   passed to n8n as they are
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ensureN8n, repoRoot } from './ensure-n8n.mjs';

const env = process.env;
const n8nPort = Number(env.N8N_PORT || 5678);
const sandboxPort = Number(env.SANDBOX_PORT || 4010);
const userFolder = path.resolve(repoRoot, env.N8N_LOCAL_FOLDER || '.n8n-local');
const ownerFile = path.join(userFolder, 'owner.json');
const importedFile = path.join(userFolder, 'imported-examples.json');
const real = env.DASSAULT_API_KEY
	? {
			apiKey: env.DASSAULT_API_KEY,
			environment: env.DASSAULT_ENVIRONMENT || (env.DASSAULT_BASE_URL ? 'custom' : 'partnerDevelopment'),
			baseUrl: env.DASSAULT_BASE_URL,
			partnerId: env.DASSAULT_PARTNER_ID || '',
		}
	: undefined;

// As the credential shows them (nodes/DassaultSales/transport/environments.ts).
const ENVIRONMENT_NAMES = {
	production: 'Production',
	partnerDevelopment: 'Partner Development',
	qualityAssurance: 'Quality Assurance',
	preProduction: 'Pre-Production',
	postProduction: 'Post-Production',
	custom: 'Custom URL',
};
if (real && !(real.environment in ENVIRONMENT_NAMES)) {
	console.error(`DASSAULT_ENVIRONMENT must be one of ${Object.keys(ENVIRONMENT_NAMES).join(', ')}`);
	process.exit(2);
}
if (real?.environment === 'custom' && !real.baseUrl) {
	console.error('DASSAULT_ENVIRONMENT=custom needs DASSAULT_BASE_URL');
	process.exit(2);
}

const NO_ACCOUNT_NODES = new Set(
	['stickyNote', 'manualTrigger', 'scheduleTrigger', 'set', 'filter', 'if', 'switch', 'merge', 'code', 'noOp',
		'convertToFile', 'removeDuplicates', 'splitOut', 'aggregate', 'sort', 'limit', 'dateTime', 'wait'].map(
		(n) => `n8n-nodes-base.${n}`,
	),
);

const step = (text) => console.log(`\n> ${text}`);

function tsc(project) {
	const res = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
		cwd: repoRoot,
		stdio: 'inherit',
	});
	if (res.status !== 0) throw new Error(`tsc -p ${project} failed`);
}

async function assertPortFree(port, what, variable) {
	await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', () =>
			reject(new Error(`${what} port ${port} on 127.0.0.1 is in use: stop what uses it, or set ${variable}`)),
		);
		srv.listen(port, '127.0.0.1', () => srv.close(resolve));
	});
}

async function main() {
	await assertPortFree(n8nPort, 'The n8n', 'N8N_PORT');
	if (!real) await assertPortFree(sandboxPort, 'The sandbox', 'SANDBOX_PORT');

	step('Building and packing n8n-nodes-dassault-sales');
	tsc('e2e/tsconfig.json');
	const h = (await import(pathToFileURL(path.join(repoRoot, '.build', 'e2e', 'harness.js')).href)).default;
	const pkg = h.preparePackage();
	console.log(`  packed ${pkg.tarball ? path.basename(pkg.tarball) : pkg.dir}`);

	step('Checking the n8n install (e2e/n8n)');
	await ensureN8n();

	let sandbox;
	if (!real) {
		step(`Starting the 3DS sandbox on 127.0.0.1:${sandboxPort}`);
		tsc('sandbox/tsconfig.json');
		const { startSandbox } = (await import(pathToFileURL(path.join(repoRoot, '.build', 'index.js')).href)).default;
		sandbox = await startSandbox({ port: sandboxPort });
		console.log(`  sandbox at ${sandbox.url}`);
	}

	step(`Preparing the n8n user folder ${path.relative(repoRoot, userFolder)}/`);
	// Every N8N_* variable but the ones this script owns reaches n8n.
	const passThrough = Object.fromEntries(
		Object.entries(env).filter(
			([k]) => k.startsWith('N8N_') && !['N8N_PORT', 'N8N_USER_FOLDER', 'N8N_LOCAL_FOLDER'].includes(k) && !k.startsWith('N8N_OWNER_'),
		),
	);
	const n8n = await h.createInstance({ userFolder, env: passThrough }); // copies the fresh package in
	h.removePreparedPackage(); // copied in; the temp folder of npm pack goes
	if (existsSync(n8n.logFile)) renameSync(n8n.logFile, `${n8n.logFile}.previous`); // this run's log only
	const credential = real
		? {
				id: h.CREDENTIAL_ID,
				name: `3DS ${ENVIRONMENT_NAMES[real.environment] ?? real.environment}`,
				data: {
					apiKey: real.apiKey,
					environment: real.environment,
					...(real.baseUrl ? { baseUrl: real.baseUrl } : {}),
					partnerId: real.partnerId,
				},
			}
		: h.sandboxCredential(sandbox.url, { name: '3DS Sandbox' });
	await n8n.importCredentials([credential]);
	console.log(`  credential "${credential.name}" ready`);

	const examplesDir = path.join(repoRoot, 'examples');
	const imported = existsSync(importedFile) ? JSON.parse(readFileSync(importedFile, 'utf8')) : [];
	const examples = existsSync(examplesDir)
		? readdirSync(examplesDir)
				.filter((f) => f.endsWith('.json'))
				.sort()
				.map((f) => ({ file: f, workflow: JSON.parse(readFileSync(path.join(examplesDir, f), 'utf8')) }))
		: [];
	// An example to try first: one made only of our nodes and core nodes that need no account.
	const runnable = examples.find(({ workflow }) =>
		(workflow.nodes ?? []).every((n) => n.type.startsWith('n8n-nodes-dassault-sales.') || NO_ACCOUNT_NODES.has(n.type)),
	);
	const pending = examples.filter((e) => !imported.includes(e.file));
	if (pending.length) {
		// Once each: later runs keep the user's edits (delete imported-examples.json to re-import).
		await n8n.importWorkflows(pending.map((e) => e.workflow));
		writeFileSync(importedFile, JSON.stringify([...imported, ...pending.map((e) => e.file)], null, 2));
		console.log(`  imported ${pending.length} example workflow(s): ${pending.map((e) => e.workflow.name).join(', ')}`);
	} else if (imported.length) {
		console.log(`  ${imported.length} example workflow(s) already imported (delete ${path.relative(repoRoot, importedFile)} to import them again)`);
	}

	step(`Starting n8n on 127.0.0.1:${n8nPort} (about 15 s)`);
	const server = await n8n.start({ port: n8nPort, readyTimeoutMs: 180_000 });

	const problems = h.packageProblems(n8n.log());
	if (problems.length) {
		console.log(`\n  WARNING: n8n reported problems loading n8n-nodes-dassault-sales:\n    ${problems.slice(0, 5).join('\n    ')}`);
	}

	let owner;
	if (existsSync(ownerFile)) {
		owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
	} else {
		const wanted = {
			email: env.N8N_OWNER_EMAIL || 'owner@example.com',
			password: env.N8N_OWNER_PASSWORD || h.generatePassword(),
			firstName: 'Local',
			lastName: 'Owner',
		};
		try {
			owner = await server.setupOwner(wanted);
			writeFileSync(ownerFile, JSON.stringify({ email: owner.email, password: owner.password }, null, 2), { mode: 0o600 });
		} catch (err) {
			console.log(`  could not create the owner account (${err.message.split('\n')[0]}): log in with the one you made`);
		}
	}

	let stopping = false;
	const stop = async (why) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${why}: stopping n8n${sandbox ? ' and the sandbox' : ''}...`);
		await server.stop();
		await sandbox?.stop();
		console.log('Stopped.');
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));
	// Safety net: never leave n8n running behind a crashed script.
	process.on('exit', () => {
		if (server.pid) {
			try {
				process.kill(-server.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
	});

	const target = real
		? `${ENVIRONMENT_NAMES[real.environment]}${real.baseUrl ? ` (${real.baseUrl})` : ''}, partner ${real.partnerId || '(none set)'}`
		: `the sandbox at ${sandbox.url} (API key ${h.SANDBOX_API_KEY}, partner ${h.SANDBOX_PARTNER_ID})`;
	console.log(`
================================================================================
 n8n is ready: ${server.url}   (started in ${Math.round(server.startupMs / 1000)} s)
 ${owner ? `Log in as ${owner.email} / ${owner.password}` : 'Log in with your owner account'}
 Credential "${credential.name}" -> ${target}
${sandbox ? ` Sandbox admin API: ${sandbox.url}/__sandbox/ (faults, rate limits, lead changes)\n` : ''}
 Try first:
   ${runnable ? `Open the workflow "${runnable.workflow.name}" and click "Execute workflow";\n   or ` : ''}create a workflow, click "+", search "Dassault", pick
   "Dassault Systèmes Sales" > Search lead opportunities, choose "${credential.name}", and execute.
   The "Dassault Systèmes Sales Trigger" polls for changed leads once the workflow is published.

 n8n log: ${path.relative(repoRoot, n8n.logFile)}    Ctrl-C stops n8n${sandbox ? ' and the sandbox' : ''}.
================================================================================`);

	// n8n ending on its own (a crash) ends the script.
	await server.whenExited();
	if (!stopping) {
		console.error(`\nn8n exited unexpectedly; see ${path.relative(repoRoot, n8n.logFile)}`);
		await sandbox?.stop();
		process.exit(1);
	}
}

main().catch((err) => {
	console.error(`\nnpm start failed: ${err.message}`);
	process.exit(1);
});
