// Runs @n8n/scan-community-package's own analysis (`analyzePackage`, the ESLint pass of
// `npx @n8n/scan-community-package <package>`) on folders, offline, and prints one JSON result per
// folder. The CLI's other steps need the npm registry and GitHub (the provenance statement, the
// attested source download, the tarball download) and cannot run here.
//
//   node analyze.mjs source <dir>    the source leg: package.json + nodes/credentials sources
//   node analyze.mjs tarball <dir>   the tarball leg: compiled .js + the published package.json
//
// Run with Node 24 (the scanner's n8n-workflow peer wants it), from this folder's own install.
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const [leg, dir] = process.argv.slice(2);
// The same file patterns as analyzePackageByName gives each leg.
const patterns = { source: SOURCE_FILE_PATTERNS, tarball: ['**/*.js', 'package.json'] }[leg];
if (!patterns || !dir) {
	console.error('usage: node analyze.mjs source|tarball <dir>');
	process.exit(2);
}
const result = await analyzePackage(dir, patterns);
process.stdout.write(
	`${JSON.stringify({ leg, dir, passed: result.passed, message: result.message, details: result.details })}\n`,
);
