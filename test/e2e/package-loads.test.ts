// The built package, packed with `npm pack` and extracted where n8n 2.41.1 loads community
// packages, loads: both nodes and the credential are listed with their icons, and n8n logs no
// error or warning about it.
import {
	createInstance,
	CREDENTIAL_TYPE,
	NODE_TYPE,
	packageProblems,
	PACKAGE_NAME,
	TRIGGER_NODE_TYPE,
	type N8nInstance,
	type N8nServer,
} from '../../e2e/harness';

type Described = {
	name: string;
	displayName: string;
	iconUrl?: { light?: string; dark?: string } | string;
	credentials?: { name: string }[];
	properties?: { name: string; options?: { value: string }[] }[];
};

let n8n: N8nInstance;
let server: N8nServer;

beforeAll(async () => {
	n8n = await createInstance({ name: 'load' });
});

afterAll(async () => {
	await n8n?.dispose();
});

function iconUrls(d: Described): string[] {
	return typeof d.iconUrl === 'string'
		? [d.iconUrl]
		: [d.iconUrl?.light ?? '', d.iconUrl?.dark ?? ''];
}

test('n8n export:nodes lists the action node and the trigger, with light and dark icons', async () => {
	const nodes = (await n8n.exportNodes()) as unknown as Described[];
	const ours = nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`));
	const names = ours.map((n) => n.name);
	expect(names).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_NODE_TYPE]));

	for (const type of [NODE_TYPE, TRIGGER_NODE_TYPE]) {
		const node = ours.find((n) => n.name === type)!;
		const [light, dark] = iconUrls(node);
		expect(light).toMatch(new RegExp(`^icons/${PACKAGE_NAME}/dist/.+\\.svg$`));
		expect(dark).toMatch(new RegExp(`^icons/${PACKAGE_NAME}/dist/.+\\.svg$`));
		expect(node.credentials?.map((c) => c.name)).toContain(CREDENTIAL_TYPE);
	}
	// usableAsTool: n8n derives the AI-agent tool variant from the action node.
	expect(names).toContain(`${NODE_TYPE}Tool`);
	expect(packageProblems(n8n.log())).toEqual([]);
});

describe('a started n8n', () => {
	beforeAll(async () => {
		server = await n8n.start();
		await server.setupOwner();
	});

	test('serves the credential type with its icon, and every icon file', async () => {
		const get = async (route: string) => {
			const res = await server.fetch(route); // logged in as the owner
			return {
				status: res.status,
				type: res.headers.get('content-type') ?? '',
				body: await res.text(),
			};
		};
		const credentials = JSON.parse((await get('types/credentials.json')).body) as Described[];
		const credential = credentials.find((c) => c.name === CREDENTIAL_TYPE);
		expect(credential).toBeDefined();
		expect(credential!.properties?.map((p) => p.name)).toEqual(
			expect.arrayContaining(['apiKey', 'environment', 'baseUrl', 'partnerId']),
		);
		expect(
			credential!.properties?.find((p) => p.name === 'environment')?.options?.map((o) => o.value),
		).toContain('custom');

		const nodes = JSON.parse((await get('types/nodes.json')).body) as Described[];
		const ours = nodes.filter((n) => n.name === NODE_TYPE || n.name === TRIGGER_NODE_TYPE);
		expect(ours).toHaveLength(2);

		const icons = new Set([...ours, credential!].flatMap(iconUrls));
		expect(icons.size).toBeGreaterThanOrEqual(2);
		for (const icon of icons) {
			const res = await get(icon);
			expect({ icon, status: res.status }).toEqual({ icon, status: 200 });
			expect(res.type).toContain('svg');
			expect(res.body).toContain('<svg');
		}
	});

	test("n8n's log has no load error or warning about the package", async () => {
		await server.stop();
		const log = n8n.log();
		expect(log).toContain('Editor is now accessible'); // the server really started
		expect(packageProblems(log)).toEqual([]);
	});
});
