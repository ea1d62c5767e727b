/**
 * What n8n's Community Nodes installer gets: the packed files, the `n8n` section pointing at
 * built files that load, no runtime dependencies. `npm test` builds before running jest.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json'));

describe('the published package', () => {
	it('holds only dist, README, LICENSE and package.json', () => {
		const [report] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
			}),
		);
		const files: string[] = report.files.map((f: { path: string }) => f.path);
		expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual([
			'LICENSE',
			'README.md',
			'package.json',
		]);
		expect(
			files.some(
				(f) => f.includes('.test.') || f.startsWith('dist/test') || f.startsWith('dist/sandbox'),
			),
		).toBe(false);
		expect(files).toEqual(
			expect.arrayContaining([
				'dist/icons/dassault-systemes.svg',
				'dist/icons/dassault-systemes.dark.svg',
				'dist/nodes/DassaultSales/DassaultSales.node.json',
			]),
		);
	});

	it('has the n8n community-node shape: keyword, strict n8n section, peer n8n-workflow, no dependencies', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.devDependencies.zod).toBe('3.25.76');
	});

	it.each(['nodes', 'credentials'])('every built %s entry exists and loads', (kind) => {
		for (const file of pkg.n8n[kind] as string[]) {
			const path = join(root, file);
			expect(existsSync(path)).toBe(true);
			const exports = require(path);
			const [Type] = Object.values(exports) as Array<new () => any>;
			const instance = new Type();
			if (kind === 'nodes') {
				expect(instance.description.name).toMatch(/^dassaultSales(Trigger)?$/);
				for (const icon of Object.values(instance.description.icon as Record<string, string>))
					expect(existsSync(join(path, '..', icon.replace('file:', '')))).toBe(true);
			} else {
				expect(instance.name).toBe('dassaultSalesApi');
				expect(instance.test.request.url).toBe('/sales/api4partners/v0/portfolio-items/search');
			}
		}
	});

	it('the built code imports nothing but n8n-workflow, zod, luxon and itself', () => {
		const built = execFileSync(
			'grep',
			['-rhoE', 'require\\([\'"][^\'"]+[\'"]\\)', join(root, 'dist')],
			{
				encoding: 'utf8',
			},
		);
		const modules = new Set(
			built
				.split('\n')
				.filter(Boolean)
				.map((line) => line.slice(9, -2))
				.filter((m) => !m.startsWith('.')),
		);
		// zod through schemas/zod.ts only: its v3 API at `zod/v3`, or `zod` itself before 3.25.
		expect([...modules].sort()).toEqual([
			'luxon',
			'n8n-workflow',
			'zod',
			'zod/package.json',
			'zod/v3',
		]);
		// Luxon (n8n's date library, shipped through n8n-workflow) through schemas/dates.ts only.
		const luxonUsers = execFileSync('grep', ['-rlE', 'require\\([\'"]luxon', join(root, 'dist')], {
			encoding: 'utf8',
		});
		expect(luxonUsers.trim().split('\n')).toEqual([
			join(root, 'dist/nodes/DassaultSales/schemas/dates.js'),
		]);
		const zodUsers = execFileSync('grep', ['-rlE', 'require\\([\'"]zod', join(root, 'dist')], {
			encoding: 'utf8',
		});
		expect(zodUsers.trim().split('\n')).toEqual([
			join(root, 'dist/nodes/DassaultSales/schemas/zod.js'),
		]);
	});
});
