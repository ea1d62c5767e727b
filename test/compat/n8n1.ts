// The compatibility layer's n8n: 1.123.81, the last 1.x, in e2e/n8n-1 (its own package.json and
// lock, installed on first need by scripts/ensure-n8n.mjs like e2e/n8n). Run on Node 24, which
// its expression engine needs, like n8n 2.x (e2e/harness.ts nodeBinary()).
import path from 'node:path';

import {
	createInstance,
	repoRoot,
	type InstanceOptions,
	type N8nInstance,
} from '../../e2e/harness';

export const N8N_1_VERSION = '1.123.81';
export const n8n1Dir = path.join(repoRoot, 'e2e', 'n8n-1');

/**
 * n8n 1.x refuses to start when N8N_DISABLED_MODULES names a module it does not know: of the
 * modules the harness disables for 2.41.1, 1.123.81 knows only chat-hub.
 */
const N8N_1_ENV = { N8N_DISABLED_MODULES: 'chat-hub' };

/** A fresh user folder for n8n 1.123.81 with the packed package where n8n loads it. */
export async function createInstance1(options: InstanceOptions = {}): Promise<N8nInstance> {
	return await createInstance({
		...options,
		n8nDir: n8n1Dir,
		env: { ...N8N_1_ENV, ...options.env },
	});
}
