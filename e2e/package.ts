// The package under test and the n8n it runs in: where they are, building and packing our package
// once per run, copying it into a user folder, installing an n8n folder on first need.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root (found upwards, so this file also works compiled into .build/e2e/). */
export const repoRoot = ((): string => {
	for (let dir = __dirname; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'e2e', 'n8n', 'package.json'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
	}
})();
export const PACKAGE_NAME = 'n8n-nodes-dassault-sales';
export const NODE_TYPE = `${PACKAGE_NAME}.dassaultSales`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.dassaultSalesTrigger`;
export const CREDENTIAL_TYPE = 'dassaultSalesApi';
export const n8nDir = path.join(repoRoot, 'e2e', 'n8n');
/** The n8n binary of an n8n folder (e2e/n8n, or e2e/n8n-1 of the compatibility layer). */
export const n8nBinIn = (dir: string): string =>
	path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
export const n8nBin = n8nBinIn(n8nDir);
/** Where fresh test user folders go (git-ignored). */
export const testRoot = path.join(repoRoot, '.n8n-test');

// ---------------------------------------------------------------------------------------------
// The n8n install

/** Installs an n8n folder (default e2e/n8n) on first need (scripts/ensure-n8n.mjs; a fast no-op when up to date). */
export function ensureN8n(dir: string = n8nDir): string {
	const res = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-n8n.mjs'), dir], {
		cwd: repoRoot,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (res.status !== 0)
		throw new Error(`scripts/ensure-n8n.mjs ${dir} failed (exit ${res.status})`);
	return n8nBinIn(dir);
}

// ---------------------------------------------------------------------------------------------
// The package under test

export interface PreparedPackage {
	/** The `npm pack` tarball (undefined when E2E_PACKAGE_DIR points at a ready folder). */
	tarball?: string;
	/** The tarball extracted: the folder n8n loads. */
	dir: string;
}

let prepared: PreparedPackage | undefined;

function run(cmd: string, args: string[], cwd: string): string {
	const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (res.status !== 0) {
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`,
		);
	}
	return res.stdout;
}

/**
 * Builds and packs the package once per run: `npm run build`, `npm pack` into a temp folder, the
 * tarball extracted beside it. The jest global setup calls it and passes the folder to the test
 * workers as E2E_PACKAGE_DIR (set it yourself to load another folder, e.g. a throw-away package).
 */
export function preparePackage(): PreparedPackage {
	if (prepared) return prepared;
	const ready = process.env.E2E_PACKAGE_DIR;
	if (ready) {
		if (!existsSync(path.join(ready, 'package.json')))
			throw new Error(`E2E_PACKAGE_DIR=${ready} has no package.json`);
		return (prepared = { dir: ready, tarball: process.env.E2E_PACKAGE_TARBALL || undefined });
	}
	run('npm', ['run', 'build', '--silent'], repoRoot);
	const out = mkdtempSync(path.join(tmpdir(), 'dassault-pack-'));
	const packed = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], repoRoot),
	) as {
		filename: string;
	}[];
	const tarball = path.join(out, packed[0].filename);
	run('tar', ['-xzf', tarball, '-C', out], out); // -> out/package
	return (prepared = { tarball, dir: path.join(out, 'package') });
}

/**
 * Deletes the temp folder `npm pack` went to: the given one, or with no argument the one this
 * process packed (never a folder given as E2E_PACKAGE_DIR).
 */
export function removePreparedPackage(dir?: string): void {
	dir ??= process.env.E2E_PACKAGE_DIR ? undefined : prepared?.dir;
	if (!dir) return;
	const packDir = path.dirname(dir);
	if (path.dirname(packDir) === tmpdir() && path.basename(packDir).startsWith('dassault-pack-')) {
		rmSync(packDir, { recursive: true, force: true });
	}
	if (prepared?.dir === dir) prepared = undefined;
}

/** Copies the prepared package to where n8n loads community packages from. */
export function installPackage(
	userFolder: string,
	pkg: PreparedPackage = preparePackage(),
): string {
	const dest = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(dest, { recursive: true, force: true });
	mkdirSync(path.dirname(dest), { recursive: true });
	cpSync(pkg.dir, dest, { recursive: true });
	return dest;
}
