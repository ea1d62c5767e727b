import { config } from '@n8n/node-cli/eslint';

// n8n's own strict community-node rules, as `n8n-node lint` runs them, on the published code.
// Development tooling (sandbox, tests, benchmarks, scripts) is not published and runs outside
// n8n's sandbox, so those rules do not apply to it.
export default [
	{ ignores: ['dist/**', 'node_modules/**', 'sandbox/**', 'test/**', 'bench/**', 'scripts/**', 'e2e/**', 'coverage/**', '*.js', '.build/**'] },
	...config,
];
