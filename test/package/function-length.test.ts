/**
 * No function over 60 lines in the published code (issue 24), descriptions aside: a long function
 * is where the reasoning hides in comments. Counted on the sources with TypeScript's parser, from
 * the line of the function's start to that of its end.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const MAX_LINES = 60;

/** Node descriptions are data (property lists), not logic. */
const isDescription = (file: string) =>
	file.includes(`${path.sep}descriptions${path.sep}`) ||
	file.endsWith('.description.ts') ||
	file.endsWith(`${path.sep}properties.ts`);

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		if (statSync(file).isDirectory()) return sources(file);
		return file.endsWith('.ts') && !isDescription(file) ? [file] : [];
	});
}

function longFunctions(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
			const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
			const lines = end - start + 1;
			if (lines > MAX_LINES) {
				const name = (node as ts.FunctionDeclaration).name?.getText(source) ?? '(anonymous)';
				found.push(`${path.relative(root, file)}:${start + 1} ${name} (${lines} lines)`);
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

it(`no function in nodes/ or credentials/ is longer than ${MAX_LINES} lines`, () => {
	const files = [...sources(path.join(root, 'nodes')), ...sources(path.join(root, 'credentials'))];
	expect(files.length).toBeGreaterThan(30);
	expect(files.flatMap(longFunctions)).toEqual([]);
});
