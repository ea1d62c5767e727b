// The direction of imports in the published code. Data flows one way, parameters → body →
// validation → transport → output, and imports follow it:
//
//   utils ← schemas ← transport ← helpers ← actions ← DassaultSales.node.ts
//                         ↖ descriptions ↙      methods ↗
//
// - `utils/` are pure functions that import nothing of ours (so transport may use them);
// - what the trigger and the credential share with the action node they reach through one module,
//   `nodes/DassaultSales/shared.ts`, never the action node's private folders;
// - no published file imports the sandbox, the tests, the e2e harness or the benchmarks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Per area of `nodes/DassaultSales/`, the areas it may import from (its own always). */
const ALLOWED: Record<string, readonly string[]> = {
	utils: [],
	schemas: ['utils'],
	transport: ['schemas', 'utils'],
	descriptions: ['schemas', 'utils'],
	helpers: ['schemas', 'utils', 'transport'],
	methods: ['schemas', 'utils', 'transport', 'helpers', 'descriptions'],
	actions: ['schemas', 'utils', 'transport', 'helpers', 'descriptions'],
	shared: ['schemas', 'utils', 'transport', 'descriptions'],
	'DassaultSales.node': [
		'actions',
		'methods',
		'descriptions',
		'helpers',
		'transport',
		'schemas',
		'utils',
	],
};

export interface ImportFinding {
	file: string;
	imports: string;
	why: string;
}

/**
 * Every relative import of `files` (absolute paths) that goes against the direction; `root` is the
 * folder holding `nodes/` and `credentials/`.
 */
export function findImportsAgainstDirection(root: string, files: string[]): ImportFinding[] {
	const nodes = path.join(root, 'nodes');
	const action = path.join(nodes, 'DassaultSales');
	const shared = path.join(action, 'shared');
	const published = [nodes, path.join(root, 'credentials')];
	const inside = (dir: string, file: string) => !path.relative(dir, file).startsWith('..');
	// The first folder below nodes/DassaultSales, or the module itself (`shared`, `DassaultSales.node`).
	const area = (file: string) =>
		path.relative(action, file).split(path.sep)[0].replace(/\.ts$/, '');

	const findings: ImportFinding[] = [];
	for (const file of files) {
		const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
		for (const { fileName } of importedFiles) {
			if (!fileName.startsWith('.')) continue;
			const target = path.resolve(path.dirname(file), fileName);
			const found = (why: string) =>
				findings.push({ file: path.relative(root, file), imports: fileName, why });
			if (!published.some((dir) => inside(dir, target))) {
				found('a published file imports something outside nodes/ and credentials/');
			} else if (!inside(action, file)) {
				// The trigger, the credential: their own folder, or the action node's shared module.
				const own = path.join(nodes, path.relative(nodes, file).split(path.sep)[0]);
				const ownFolder = inside(nodes, file) ? own : path.join(root, 'credentials');
				if (inside(action, target) && target !== shared)
					found('reaches into the action node: import from nodes/DassaultSales/shared instead');
				else if (!inside(action, target) && !inside(ownFolder, target))
					found("imports another node's folder");
			} else if (inside(action, target)) {
				const from = area(file);
				const to = area(target);
				if (from !== to && !(ALLOWED[from] ?? []).includes(to))
					found(`${from} may import only ${(ALLOWED[from] ?? []).join(', ') || 'nothing of ours'}`);
			} else {
				found('the action node imports from outside its folder');
			}
		}
	}
	return findings;
}
