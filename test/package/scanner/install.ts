// Installs n8n's scanner into test/package/scanner/ (its own package.json and lock) on first need,
// like scripts/ensure-n8n.mjs installs n8n: `npm ci` from the committed lock, a stamp of
// package.json + lock, a no-op when it matches. Its own folder because the scanner bundles
// TypeScript 7, which breaks @typescript-eslint beside our TypeScript 5.9 (here overridden to 5.9.3
// for its parser), and its n8n-workflow peer wants Node 24: npm and the analysis run with the root
// dev dependency `node`. No install scripts run (eslint-plugin-n8n-nodes-base's preinstall only
// insists on pnpm).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { nodeBinary } from '../../../e2e/harness';

export const scannerDir = __dirname;
const stampFile = path.join(scannerDir, 'node_modules', '.install-stamp');
const analyzeScript = path.join(scannerDir, 'analyze.mjs');

function wantedStamp(): string {
	const hash = createHash('sha256');
	for (const f of ['package.json', 'package-lock.json'])
		hash.update(readFileSync(path.join(scannerDir, f)));
	return hash.digest('hex');
}

/**
 * The environment with Node 24 first on PATH (npm's `#!/usr/bin/env node` then runs on it), as a
 * user's shell has it: without jest's NODE_ENV=test, under which eslint-plugin-n8n-nodes-base's
 * rules check made-up file names and fail every node file.
 */
function node24Env(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return { ...env, PATH: `${path.dirname(nodeBinary())}${path.delimiter}${env.PATH ?? ''}` };
}

export function ensureScanner(): void {
	if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wantedStamp()) return;
	execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: scannerDir,
		env: node24Env(),
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 16 * 1024 * 1024,
	});
	writeFileSync(stampFile, wantedStamp());
}

export interface ScanResult {
	leg: 'source' | 'tarball';
	dir: string;
	passed: boolean;
	message?: string;
	/** ESLint's stylish report of the violations. */
	details?: string;
}

/** The scanner's `analyzePackage` on a folder, as its CLI runs it for that leg (Node 24). */
export function analyze(
	leg: ScanResult['leg'],
	dir: string,
	env: NodeJS.ProcessEnv = {},
): ScanResult {
	const out = execFileSync(nodeBinary(), [analyzeScript, leg, dir], {
		cwd: scannerDir,
		env: { ...node24Env(), ...env },
		encoding: 'utf8',
		maxBuffer: 16 * 1024 * 1024,
	});
	return JSON.parse(out.trim().split('\n').pop() as string) as ScanResult;
}
