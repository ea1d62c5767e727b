/** 5. Cold load: `require` of the built node, trigger and credential in a fresh process; packed size. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

const script = `
const start = process.hrtime.bigint();
require(${JSON.stringify(join(root, 'dist/nodes/DassaultSales/DassaultSales.node.js'))});
require(${JSON.stringify(join(root, 'dist/nodes/DassaultSalesTrigger/DassaultSalesTrigger.node.js'))});
require(${JSON.stringify(join(root, 'dist/credentials/DassaultSalesApi.credentials.js'))});
const ours = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(String(ours));
`;

/** n8n-workflow is loaded by n8n before any community node; preload it so only our code is timed. */
export function coldLoadMs(): number {
	const preload = `require(${JSON.stringify(join(root, 'node_modules/n8n-workflow'))}); require(${JSON.stringify(join(root, 'node_modules/zod'))});`;
	return Number(execFileSync(process.execPath, ['-e', preload + script], { encoding: 'utf8' }));
}

export function packedSizeBytes(): number {
	const [report] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	return report.size as number;
}
