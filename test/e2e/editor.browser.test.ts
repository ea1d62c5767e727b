// A person in n8n's editor, in a real (headless) Chromium: log in, open the nodes panel, search
// "Dassault", see the node and its operations, add it, open its credential dialog, fill it in for
// the sandbox and save (n8n tests the credential against the sandbox), then run the node.
// Screenshots of every step go to test-results/e2e-editor/.
//
// The browser is the Chromium build shipped inside the dev dependency @sparticuz/chromium, unpacked
// on first need (e2e/provision.ts; CHROMIUM_PATH picks another one), driven by playwright-core;
// nothing is downloaded. It is kept off the network: only 127.0.0.1 is reachable.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	repoRoot,
	SANDBOX_API_KEY,
	sleep,
	type N8nInstance,
	type N8nServer,
	type Owner,
} from '../../e2e/harness';
import { ensureChromium } from '../../e2e/provision';

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
];
const SHOTS = path.join(repoRoot, 'test-results', 'e2e-editor');
const WORKFLOW_ID = 'e2eBrowserWf0001';
const OPERATIONS = [
	'Create a lead opportunity',
	'Create or update a lead opportunity',
	'Get a lead opportunity',
	'Search lead opportunities',
	'Update a lead opportunity',
	'Get many portfolio items',
];

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let server: N8nServer;
let owner: Owner;
let browser: Browser;
let page: Page;
const outside = new Set<string>();
let shot = 0;

async function screenshot(name: string): Promise<void> {
	await page.screenshot({
		path: path.join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`),
	});
}

beforeAll(async () => {
	const chromiumBuild = await ensureChromium(); // first: fails at once when it can't
	mkdirSync(SHOTS, { recursive: true });
	sandbox = await startSandbox({ port: 0 });
	n8n = await createInstance({ name: 'browser' });
	await n8n.importWorkflows([
		{
			id: WORKFLOW_ID,
			name: 'Browser test',
			nodes: [
				{
					id: 'manual',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
			],
			connections: {},
		},
	]);
	server = await n8n.start();
	owner = await server.setupOwner();

	selectors.setTestIdAttribute('data-test-id'); // n8n's attribute
	browser = await chromium.launch({
		executablePath: chromiumBuild.executablePath,
		headless: true,
		args: CHROMIUM_FLAGS,
		env: { ...process.env, ...chromiumBuild.env },
	});
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await context.route('**/*', async (route) => {
		const url = new URL(route.request().url());
		if (url.hostname === '127.0.0.1') return await route.continue();
		outside.add(url.origin);
		return await route.abort();
	});
	page = await context.newPage();
	page.setDefaultTimeout(30_000);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
	await sandbox?.stop();
});

test('logs in', async () => {
	await page.goto(`${server.url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
	await page.locator('input[name="password"]').fill(owner.password);
	await screenshot('signin');
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
});

test('the nodes panel finds "Dassault" and lists its operations', async () => {
	await page.goto(`${server.url}/workflow/${WORKFLOW_ID}`);
	await page.getByTestId('canvas-handle-plus').click(); // the "+" after the trigger
	const search = page.getByTestId('node-creator-search-bar');
	await search.fill('Dassault');
	const item = page
		.getByTestId('item-iterator-item')
		.filter({ hasText: 'Dassault Systèmes Sales' });
	await expectVisible(item.first());
	await screenshot('search-dassault');

	await item.first().click();
	for (const operation of OPERATIONS) {
		await expectVisible(
			page.getByTestId('item-iterator-item').filter({ hasText: operation }).first(),
		);
	}
	await screenshot('operations');
});

test('adding the node opens it, with its resource, operation and credential slot', async () => {
	await page
		.getByTestId('item-iterator-item')
		.filter({ hasText: 'Get many portfolio items' })
		.first()
		.click();
	await expectVisible(page.getByTestId('ndv'));
	await expect(
		page.getByTestId('parameter-input-resource').locator('input').inputValue(),
	).resolves.toBe('Portfolio Item');
	await expectVisible(page.getByTestId('node-credentials-empty-state'));
	await screenshot('node-added');
});

test('the credential dialog shows the fields, and saving tests the key against the sandbox', async () => {
	await page.getByTestId('node-credentials-empty-state').click();
	const dialog = page.getByTestId('credential-edit-dialog');
	await expectVisible(dialog);
	for (const field of [
		'parameter-input-apiKey',
		'parameter-input-environment',
		'parameter-input-partnerId',
	]) {
		await expectVisible(dialog.getByTestId(field));
	}
	await screenshot('credential-dialog');

	await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(SANDBOX_API_KEY);
	await dialog.getByTestId('parameter-input-environment').click();
	await page.getByRole('option', { name: 'Custom URL' }).click();
	await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(sandbox.url);
	await screenshot('credential-filled');

	const before = sandbox.admin.counters().requests.searchPortfolioItems ?? 0;
	await page.getByTestId('credential-save-button').click(); // in the modal's header
	await expectVisible(page.getByText('Credential successfully created').first());
	// n8n runs the credential's test request (one portfolio search) against the sandbox.
	const tested = () => (sandbox.admin.counters().requests.searchPortfolioItems ?? 0) > before;
	for (let i = 0; i < 100 && !tested(); i++) await sleep(100);
	expect(tested()).toBe(true);
	await screenshot('credential-saved');
});

test('"Execute step" runs the node against the sandbox and shows its items', async () => {
	await page.getByTestId('node-execute-button').click();
	const output = page.getByTestId('output-panel');
	await expectVisible(output.getByText(/\d+ items?/).first());
	await screenshot('executed');
	expect(await output.innerText()).toMatch(/50 items/); // the default Limit
});

test('Get: the lead-opportunity locator lists recent leads (From List, the default), one is picked and executed', async () => {
	await page.getByTestId('parameter-input-resource').click();
	await page.getByRole('option', { name: 'Lead-Opportunity', exact: true }).click();
	await page.getByTestId('parameter-input-operation').click();
	await page
		.getByRole('option', { name: /^Get\b/ })
		.first()
		.click();
	const locator = page.getByTestId('resource-locator-dsLeadOpportunityId');
	await expectVisible(locator);
	await expect(
		locator.getByTestId('rlc-mode-selector').locator('input').inputValue(),
	).resolves.toMatch(
		/^From list$/i, // n8n's own label for a list mode
	);
	const before = sandbox.admin.counters().requests.searchLeadsOpportunities ?? 0;
	await locator.getByTestId('rlc-input').click();
	const entries = page.getByTestId('rlc-item');
	await expectVisible(entries.first());
	// The list came from the sandbox's search, as "name — status".
	expect(sandbox.admin.counters().requests.searchLeadsOpportunities ?? 0).toBeGreaterThan(before);
	const picked = (await entries.first().innerText()).trim();
	expect(picked).toMatch(/ — [A-Z_]+ \(/);
	await screenshot('lead-list');
	await entries.first().click();

	await page.getByTestId('node-execute-button').click();
	const output = page.getByTestId('output-panel');
	await expectVisible(output.getByText(/1 item/).first());
	await screenshot('lead-executed');
	// Simplify is on by default: the simplified record, whose name is the one picked.
	const text = await output.innerText();
	expect(text).toContain(picked.split(' — ')[0]);
	expect(text).toMatch(/customerName/);
});

test('the editor reached nothing outside 127.0.0.1', () => {
	// All blocked by the route above; the only one tried is the npm registry, for the community
	// node's "Installed" version details.
	expect([...outside].filter((origin) => origin !== 'https://registry.npmjs.org')).toEqual([]);
});

async function expectVisible(locator: ReturnType<Page['locator']>): Promise<void> {
	await locator.waitFor({ state: 'visible' });
}
