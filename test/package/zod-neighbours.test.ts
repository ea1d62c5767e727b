/**
 * The built schemas give the same answers whichever zod Node finds for the installed package: n8n's
 * own (3.25.x, reached through the module path n8n adds as a fallback), or a zod that another
 * community package placed in `~/.n8n/nodes/node_modules` beside ours, which Node's ordinary lookup
 * finds first (a zod 4, or a zod 3 older than the `zod/v3` subpath). The e2e layer runs the whole node
 * in n8n the same way; this is the fast check of the schemas alone.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs in a child Node: loads the installed package's schemas and parses a fixed set of inputs. */
const probe = `
const path = require('path');
const pkg = process.argv[1];
const schemas = require(path.join(pkg, 'dist/nodes/DassaultSales/schemas'));
const zod = require(require.resolve('zod/package.json', { paths: [path.join(pkg, 'dist')] }));
const create = {
	partnerId: '200000000014442',
	leadOpportunity: {
		partnerLeadOpportunityId: 'OPPY-1', name: 'Plant 4', status: 'OPPY_OPEN',
		closeDate: '2026-03-01T10:00:00+02:00', currency: 'eur', reasonWon: ['STRNG_VAL_PROP'],
	},
	offerLines: [{ offerNameId: 'CLASS00002', amount: 5490, revenueType: 'YxC', startDate: '2026-01-01', endDate: '2026-12-31' }],
	customerLegalEntity: { name: 'ACME', city: 'Lyon', country: 'France' },
	customerContacts: [{ email: 'jane@acme.example', firstName: 'Jane', lastName: 'Doe' }],
};
const bad = {
	partnerId: '200000000014442',
	leadOpportunity: {
		partnerLeadOpportunityId: 'OPPY-2', name: '', status: 'OPEN', closeDate: '31/12/2026',
		currency: 'XYZ', typo: 1,
	},
	offerLines: [{ offerNameId: 'X', revenueType: 'PxC', startDate: '2026-01-01' }],
	customerLegalEntity: { name: 'ACME', city: 'Lyon' },
};
const window = { data: [{ modifiedDate: { fromDate: '2026-01-01T00:00:00+01:00', toDate: '2026-01-05T00:00:00Z' } }] };
const tooLong = { data: [{ modifiedDate: { fromDate: '2026-01-01T00:00:00Z', toDate: '2026-02-01T00:00:00Z' } }] };
const answer = (result) =>
	result.success
		? { ok: result.data }
		: { issues: result.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })) };
process.stdout.write(JSON.stringify({
	zod: zod.version,
	answers: [
		answer(schemas.createBody('v1').safeParse(create)),
		answer(schemas.createBody('v1').safeParse(bad)),
		answer(schemas.updateBody('v1').safeParse({ partnerId: '1', leadOpportunity: { partnerLeadOpportunityId: 'OPPY-1', nextMilestoneDate: '2026-02-01' } })),
		answer(schemas.searchBody.safeParse(window)),
		answer(schemas.searchBody.safeParse(tooLong)),
		answer(schemas.searchCriteria.safeParse({ partnerLeadOpportunityId: ['A', 'B'] })),
	],
}));
`;

interface ProbeResult {
	zod: string;
	answers: Record<string, unknown>[];
}

describe('the schemas, whichever zod the installed package finds', () => {
	let folder: string;

	beforeAll(() => {
		folder = mkdtempSync(join(tmpdir(), 'dassault-zod-'));
	});

	afterAll(() => {
		rmSync(folder, { recursive: true, force: true });
	});

	/**
	 * The package copied (not linked: Node resolves a link to where it points) into
	 * `<nodes>/node_modules/n8n-nodes-dassault-sales`, with `neighbour` (a zod package folder) beside
	 * it; n8n-workflow and n8n's own zod come through NODE_PATH, as n8n's fallback path.
	 */
	function install(name: string, neighbour?: string): ProbeResult {
		const modules = join(folder, name, 'node_modules');
		const pkg = join(modules, 'n8n-nodes-dassault-sales');
		mkdirSync(pkg, { recursive: true });
		cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
		cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
		if (neighbour) cpSync(neighbour, join(modules, 'zod'), { recursive: true });
		const out = execFileSync(process.execPath, ['-e', probe, pkg], {
			encoding: 'utf8',
			env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
		});
		return JSON.parse(out) as ProbeResult;
	}

	let own: ProbeResult;

	it("works with n8n's own zod (3.25.x)", () => {
		own = install('own');
		expect(own.zod).toBe(require('zod/package.json').version);
		const [created, bad, updated, window, tooLong, ids] = own.answers;
		expect(created.ok).toMatchObject({
			// A day: 10:00+02:00 on 1 March is sent as that day's midnight UTC.
			leadOpportunity: { closeDate: '2026-03-01T00:00:00.000Z', currency: 'EUR' },
		});
		const paths = (bad.issues as { path: (string | number)[] }[]).map((i) => i.path.join('.'));
		expect(paths).toEqual(
			expect.arrayContaining([
				'leadOpportunity.name',
				'leadOpportunity.status',
				'leadOpportunity.closeDate',
				'leadOpportunity.currency',
				'leadOpportunity',
				'offerLines.0.revenueType',
				'customerLegalEntity.country',
			]),
		);
		expect(updated.ok).toMatchObject({
			leadOpportunity: { nextMilestoneDate: '2026-02-01T00:00:00.000Z' },
		});
		expect(window.ok).toEqual({
			data: [
				{
					modifiedDate: {
						fromDate: '2025-12-31T23:00:00.000Z',
						toDate: '2026-01-05T00:00:00.000Z',
					},
				},
			],
		});
		expect(tooLong.issues).toEqual([
			expect.objectContaining({ path: ['data', 0, 'modifiedDate', 'toDate'] }),
		]);
		expect(ids.ok).toEqual({ partnerLeadOpportunityId: ['A', 'B'] });
	});

	it.each([
		['a zod 4 beside it', 'zod-v4', '4.6.7'],
		['a zod 3 without the zod/v3 subpath beside it', 'zod-v3-22', '3.22.4'],
	])('gives the same answers with %s', (_, neighbour, version) => {
		const found = install(neighbour, join(root, 'node_modules', neighbour));
		expect(found.zod).toBe(version);
		expect(found.answers).toEqual(own.answers);
	});
});
