// The nodes hold no module-level mutable state, so any n8n process (main, any worker) can run any
// item and no execution sees another's leftovers: see test/helpers/module-state.ts for the rules.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { findModuleState } from '../helpers/module-state';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
		.map((e) => path.join(e.parentPath, e.name));
}

test('nodes/ and credentials/ have no module-level mutable state', () => {
	const files = [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))];
	expect(files.length).toBeGreaterThan(30);
	expect(findModuleState(files)).toEqual([]);
});

test('the check finds each kind of module-level state', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'module-state-'));
	try {
		writeFileSync(
			path.join(dir, 'shared.ts'),
			'export const registry: string[] = [];\nexport const config = { retries: 3 };\n',
		);
		const file = path.join(dir, 'node.ts');
		writeFileSync(
			file,
			[
				"import { registry, config } from './shared';",
				'let calls = 0;',
				'const cache = new Map<string, number>();',
				'const seen = new Set<string>();',
				'const limits = { max: 1 };',
				'const readOnly = new Set(["a"]);',
				'function counter() { return 1; }',
				'class Node { static instances = 0; static readonly kind = "x"; }',
				'export function execute(id: string, local: string[]) {',
				'  const mine = new Map<string, number>();',
				'  mine.set(id, 1);',
				'  local.push(id);',
				'  [...registry].sort();',
				'  calls += 1;',
				'  cache.set(id, calls);',
				'  seen.add(id);',
				'  limits.max = 2;',
				'  (limits as { max: number })["max"]++;',
				'  delete (limits as { max?: number }).max;',
				'  registry.push(id);',
				'  config.retries = 5;',
				'  Object.assign(limits, { max: 3 });',
				'  (counter as unknown as { n: number }).n = 1;',
				'  return readOnly.has(id) && Node.kind;',
				'}',
			].join('\n'),
		);
		const found = findModuleState([file]).map((f) => `${f.line}: ${f.why}`);
		expect(found).toEqual([
			'2: module-level let/var',
			'8: static class property that is not readonly',
			'14: assignment to module-level calls',
			'15: set() on module-level cache',
			'16: add() on module-level seen',
			'17: assignment to module-level limits',
			'18: increment of module-level limits',
			'19: delete in module-level limits',
			'20: push() on imported registry',
			'21: assignment to imported config',
			'22: Object.assign() on module-level limits',
			'23: assignment to module-level counter',
		]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
