/**
 * n8n's verification scan, `npx @n8n/scan-community-package <package>`, as far as it runs offline:
 * its own analysis (`analyzePackage`, pinned version in test/package/scanner/package.json) on the
 * source and on the packed tarball, with the file patterns its CLI gives each leg. Its other steps
 * need the npm registry and GitHub and cannot run here: the provenance statement of the published
 * version, the download of the attested source and of the tarball. The publish workflow
 * (.github/workflows/publish.yml) is what gives the provenance; workflows.test.ts checks it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { analyze, ensureScanner, scannerDir } from './scanner/install';

const root = path.join(__dirname, '..', '..');
let work: string;
// The scanner makes a temp folder when it loads: keep it inside ours, removed after the tests.
const env = (): NodeJS.ProcessEnv => ({ TMPDIR: work });

beforeAll(() => {
	work = mkdtempSync(path.join(tmpdir(), 'dassault-scan-'));
	ensureScanner(); // ~45 s the first time (npm ci), a no-op after
}, 300_000);

afterAll(() => {
	if (work) rmSync(work, { recursive: true, force: true });
});

test('the scanner is pinned to one exact version', () => {
	const pkg = JSON.parse(readFileSync(path.join(scannerDir, 'package.json'), 'utf8'));
	const version = pkg.devDependencies['@n8n/scan-community-package'];
	expect(version).toMatch(/^\d+\.\d+\.\d+$/);
	const lock = JSON.parse(readFileSync(path.join(scannerDir, 'package-lock.json'), 'utf8'));
	expect(lock.packages['node_modules/@n8n/scan-community-package'].version).toBe(version);
});

test('the source passes: package.json and the nodes and credentials sources', () => {
	const result = analyze('source', root, env());
	expect(result.details ?? '').toBe('');
	expect(result).toMatchObject({ leg: 'source', passed: true });
});

test('the packed tarball passes: its compiled .js and its package.json', () => {
	// `npm test` builds before jest: dist/ is what `npm publish` would pack.
	const packDir = path.join(work, 'pack');
	mkdirSync(packDir);
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: root,
			encoding: 'utf8',
		}),
	) as { filename: string }[];
	execFileSync('tar', ['-xzf', path.join(packDir, packed.filename), '-C', packDir]);
	// The compiled nodes and credential are there to be scanned (not only package.json).
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[])
		expect(existsSync(path.join(packDir, 'package', file))).toBe(true);
	const result = analyze('tarball', path.join(packDir, 'package'), env());
	expect(result.details ?? '').toBe('');
	expect(result).toMatchObject({ leg: 'tarball', passed: true });
}, 120_000);

test('the analysis does find violations: a node that logs to the console, a package.json without an author email', () => {
	const bad = path.join(work, 'bad');
	mkdirSync(path.join(bad, 'nodes', 'Bad'), { recursive: true });
	writeFileSync(
		path.join(bad, 'package.json'),
		JSON.stringify({ name: 'n8n-nodes-bad', version: '0.0.1', author: { name: 'x' } }, null, 2),
	);
	writeFileSync(
		path.join(bad, 'nodes', 'Bad', 'Bad.node.js'),
		'"use strict";\nconsole.log("hello");\nmodule.exports = {};\n',
	);
	const result = analyze('tarball', bad, env());
	expect(result.passed).toBe(false);
	expect(result.details).toMatch(/no-console/);
	expect(result.details).toMatch(/valid-author/);
});
