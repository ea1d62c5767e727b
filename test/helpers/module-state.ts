// Finds module-level mutable state in TypeScript sources: what would make a node behave differently
// depending on which n8n process (main, worker) or which earlier execution loaded it. n8n loads a
// node's module once per process and runs every execution of every workflow through it, so any
// state must live in the execution (parameters, static data, the context), never in the module.
//
// Flagged:
// - `let` / `var` at the top level of a module (a binding that can be reassigned);
// - a static class property that is not `readonly`;
// - any write to a module-level binding or an import, anywhere in the file: assignment to it or
//   into it (`X.a = 1`, `X[k] = v`, `X.a.b += 1`, `X++`, `delete X.a`), a mutating method call on it
//   (`X.push(…)`, `X.set(…)`, `X.sort()`, …) or `Object.assign(X, …)` / `Object.defineProperty(X, …)`.
// Reads are fine, and so are module-level constants that nothing writes (schemas, descriptions,
// lookup sets).
import path from 'node:path';
import ts from 'typescript';

const MUTATING_METHODS = new Set([
	'push',
	'pop',
	'shift',
	'unshift',
	'splice',
	'sort',
	'reverse',
	'fill',
	'copyWithin',
	'set',
	'add',
	'delete',
	'clear',
]);
const MUTATING_OBJECT_FUNCTIONS = new Set([
	'assign',
	'defineProperty',
	'defineProperties',
	'setPrototypeOf',
]);

export interface ModuleStateFinding {
	file: string;
	line: number;
	text: string;
	why: string;
}

/** The identifier an expression is rooted in: `a.b[c]!.d` -> `a`; `[...a].sort()` -> none. */
function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
	let current: ts.Expression = expression;
	for (;;) {
		if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current))
			current = current.expression;
		else if (
			ts.isParenthesizedExpression(current) ||
			ts.isNonNullExpression(current) ||
			ts.isAsExpression(current) ||
			ts.isTypeAssertionExpression(current) ||
			ts.isSatisfiesExpression(current)
		)
			current = current.expression;
		else return ts.isIdentifier(current) ? current : undefined;
	}
}

function isTopLevel(node: ts.Node): boolean {
	let parent = node.parent;
	while (parent && (ts.isVariableDeclarationList(parent) || ts.isVariableStatement(parent)))
		parent = parent.parent;
	return parent !== undefined && ts.isSourceFile(parent);
}

export function findModuleState(files: string[]): ModuleStateFinding[] {
	const program = ts.createProgram(files, {
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.CommonJS,
		strict: true,
		esModuleInterop: true,
		skipLibCheck: true,
		noEmit: true,
	});
	const checker = program.getTypeChecker();
	const findings: ModuleStateFinding[] = [];
	const wanted = new Set(files.map((f) => path.resolve(f)));

	for (const source of program.getSourceFiles()) {
		if (!wanted.has(path.resolve(source.fileName))) continue;
		const report = (node: ts.Node, why: string) => {
			const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
			findings.push({
				file: source.fileName,
				line: line + 1,
				text: node.getText(source).split('\n')[0].slice(0, 100),
				why,
			});
		};
		/** Whether the expression writes into a binding declared at module level, or imported. */
		const moduleLevelRoot = (expression: ts.Expression): string | undefined => {
			const id = rootIdentifier(expression);
			if (!id) return undefined;
			let symbol = checker.getSymbolAtLocation(id);
			if (!symbol) return undefined;
			if (symbol.flags & ts.SymbolFlags.Alias) return `imported ${id.text}`;
			symbol = checker.getExportSymbolOfSymbol(symbol);
			const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
			if (!declaration || declaration.getSourceFile() !== source) return undefined;
			if (ts.isParameter(declaration)) return undefined;
			return isTopLevel(declaration) ? `module-level ${id.text}` : undefined;
		};

		const visit = (node: ts.Node): void => {
			if (ts.isVariableStatement(node) && ts.isSourceFile(node.parent)) {
				const flags = node.declarationList.flags;
				if (!(flags & ts.NodeFlags.Const)) report(node, 'module-level let/var');
			}
			if (
				ts.isPropertyDeclaration(node) &&
				node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) &&
				!node.modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword)
			)
				report(node, 'static class property that is not readonly');
			if (
				ts.isBinaryExpression(node) &&
				node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
				node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
			) {
				const root = moduleLevelRoot(node.left);
				if (root) report(node, `assignment to ${root}`);
			}
			if (
				(ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
				(node.operator === ts.SyntaxKind.PlusPlusToken ||
					node.operator === ts.SyntaxKind.MinusMinusToken)
			) {
				const root = moduleLevelRoot(node.operand);
				if (root) report(node, `increment of ${root}`);
			}
			if (ts.isDeleteExpression(node)) {
				const root = moduleLevelRoot(node.expression);
				if (root) report(node, `delete in ${root}`);
			}
			if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
				const method = node.expression.name.text;
				const target = node.expression.expression;
				if (MUTATING_METHODS.has(method)) {
					const root = moduleLevelRoot(target);
					if (root) report(node, `${method}() on ${root}`);
				}
				if (
					ts.isIdentifier(target) &&
					(target.text === 'Object' || target.text === 'Reflect') &&
					MUTATING_OBJECT_FUNCTIONS.has(method) &&
					node.arguments[0]
				) {
					const root = moduleLevelRoot(node.arguments[0]);
					if (root) report(node, `${target.text}.${method}() on ${root}`);
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return findings;
}
