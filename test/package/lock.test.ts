/**
 * `npm ci` (what the publish and CI workflows run) refuses a package-lock.json out of sync with
 * package.json. This checks both locks the package layer relies on the way `npm ci` does, without
 * installing and without the network: `npm ci --dry-run --offline` on a copy of package.json and
 * its lock (about 5 s, even with an empty npm cache), plus the lock's own record of package.json's
 * dependency ranges, which tells a version edited in package.json by hand.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const folders = { root, scanner: path.join(__dirname, 'scanner') };
const KINDS = [
	'dependencies',
	'devDependencies',
	'optionalDependencies',
	'peerDependencies',
] as const;

describe.each(Object.entries(folders))('the lock of %s', (_name, dir) => {
	const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));

	test("records package.json's name, version and every dependency range", () => {
		const rootEntry = lock.packages[''];
		expect({ name: lock.name, version: lock.version }).toEqual({
			name: pkg.name,
			version: pkg.version,
		});
		for (const kind of KINDS)
			expect({ kind, ranges: rootEntry[kind] }).toEqual({ kind, ranges: pkg[kind] });
	});

	test('npm ci --dry-run --offline accepts it', () => {
		const copy = mkdtempSync(path.join(tmpdir(), 'dassault-lock-'));
		try {
			for (const f of ['package.json', 'package-lock.json'])
				copyFileSync(path.join(dir, f), path.join(copy, f));
			const res = spawnSync(
				'npm',
				['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
				{ cwd: copy, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } },
			);
			// On drift: "`npm ci` can only install packages when your package.json and
			// package-lock.json ... are in sync" (EUSAGE), or ENOTCACHED for a range the lock lacks.
			expect({ status: res.status, stderr: res.stderr.trim() }).toEqual({ status: 0, stderr: '' });
		} finally {
			rmSync(copy, { recursive: true, force: true });
		}
	}, 60_000);
});
