// Imports follow the data (test/helpers/import-direction.ts has the rules): a new import against
// the direction fails here, and so does a published file importing the sandbox, tests or tools.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { findImportsAgainstDirection } from '../helpers/import-direction';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
		.map((e) => path.join(e.parentPath, e.name));
}

test('nodes/ and credentials/ import in one direction', () => {
	const files = [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))];
	expect(files.length).toBeGreaterThan(30);
	expect(findImportsAgainstDirection(root, files)).toEqual([]);
});

test('the check finds each kind of import against the direction', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'import-direction-'));
	const write = (file: string, text: string) => {
		const full = path.join(dir, file);
		mkdirSync(path.dirname(full), { recursive: true });
		writeFileSync(full, text);
		return full;
	};
	try {
		const files = [
			write('nodes/DassaultSales/utils/windows.ts', "import { z } from '../schemas/zod';\n"),
			write(
				'nodes/DassaultSales/transport/client.ts',
				"import { a } from '../schemas';\nimport { b } from '../helpers/body';\nimport { w } from '../utils/windows';\n",
			),
			write(
				'nodes/DassaultSales/helpers/body.ts',
				"import type { C } from '../transport/client';\n",
			),
			write(
				'nodes/DassaultSales/methods/listSearch.ts',
				"import { m } from '../actions/portfolio/getMany.operation';\n",
			),
			write('nodes/DassaultSales/actions/router.ts', "import { s } from '../../../sandbox';\n"),
			write(
				'nodes/DassaultSalesTrigger/poll.ts',
				"import { t } from '../DassaultSales/transport';\nimport { s } from '../DassaultSales/shared';\nimport { p } from './state';\n",
			),
			write(
				'credentials/Api.credentials.ts',
				"import { e } from '../nodes/DassaultSales/transport/environments';\n",
			),
			write(
				'nodes/DassaultSales/shared.ts',
				"export * from './transport';\nexport * from './actions/output';\n",
			),
		];
		expect(findImportsAgainstDirection(dir, files)).toEqual([
			expect.objectContaining({
				file: 'nodes/DassaultSales/utils/windows.ts',
				imports: '../schemas/zod',
			}),
			expect.objectContaining({
				file: 'nodes/DassaultSales/transport/client.ts',
				imports: '../helpers/body',
			}),
			expect.objectContaining({
				file: 'nodes/DassaultSales/methods/listSearch.ts',
				imports: '../actions/portfolio/getMany.operation',
			}),
			expect.objectContaining({
				file: 'nodes/DassaultSales/actions/router.ts',
				imports: '../../../sandbox',
			}),
			expect.objectContaining({
				file: 'nodes/DassaultSalesTrigger/poll.ts',
				imports: '../DassaultSales/transport',
			}),
			expect.objectContaining({
				file: 'credentials/Api.credentials.ts',
				imports: '../nodes/DassaultSales/transport/environments',
			}),
			expect.objectContaining({
				file: 'nodes/DassaultSales/shared.ts',
				imports: './actions/output',
			}),
		]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
