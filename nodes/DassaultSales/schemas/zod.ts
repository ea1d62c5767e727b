/**
 * zod's v3 API, from whichever zod Node finds for our package at run time.
 *
 * The package ships no zod: n8n does (3.25.x), and Node's lookup reaches n8n's copy only after every
 * `node_modules` above our folder. Another community package in `~/.n8n/nodes` can put a different
 * zod there first: a zod 4 (the MCP SDK depends on one), or an older zod 3. zod ≥ 3.25 and zod 4 both
 * ship the v3 API at `zod/v3`; a zod before 3.25 has no such subpath (Node refuses it with
 * ERR_PACKAGE_PATH_NOT_EXPORTED), and its main entry is that same API. Every schema of the package
 * comes through here; the e2e layer runs every operation with a zod 4 and a zod 3.22 beside us.
 */
import type * as zodV3 from 'zod/v3';

// The build compiles without Node's types (n8n's rules keep node code off Node's globals); CommonJS
// still hands every module its `require`.
declare const require: (id: string) => unknown;

/** `zod/package.json` is exported by every zod, and resolves to the copy `zod` resolves to. */
const hasV3Subpath = (): boolean => {
	const [major, minor] = (require('zod/package.json') as { version: string }).version
		.split('.')
		.map(Number);
	return major > 3 || (major === 3 && minor >= 25);
};

export const { z } = (hasV3Subpath() ? require('zod/v3') : require('zod')) as typeof zodV3;

export type { infer as Infer, ZodIssue, ZodType, ZodTypeDef } from 'zod/v3';
