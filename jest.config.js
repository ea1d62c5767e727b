// One jest run, several layers (see README "Tests"): each layer is a project so it can run alone
// (`npm run test:unit` = `jest --selectProjects unit`).
const layer = (name, extra = {}) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: [`<rootDir>/test/${name}`],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
	...extra,
});

// Real n8n: installs it on first need (global setup), packs the package once per run.
const realN8n = {
	globalSetup: '<rootDir>/e2e/jest-global-setup.ts',
	globalTeardown: '<rootDir>/e2e/jest-global-teardown.ts',
	setupFilesAfterEnv: ['<rootDir>/e2e/jest-setup.ts'],
	slowTestThreshold: 60,
};

module.exports = {
	projects: [
		layer('unit', { setupFilesAfterEnv: ['<rootDir>/test/unit/setup.ts'] }),
		layer('contract'),
		layer('sandbox'),
		layer('package'),
		layer('bench'),
		layer('e2e', realN8n),
		// Real n8n in queue mode: main + Redis + two workers + PostgreSQL (e2e/queue.ts), the last
		// two provisioned by its global setup.
		layer('queue', { ...realN8n, globalSetup: '<rootDir>/e2e/jest-queue-global-setup.ts' }),
		// n8n 1.123.81 (e2e/n8n-1): the packed package loads, the core operations and a poll run.
		layer('compat', { ...realN8n, globalSetup: '<rootDir>/test/compat/global-setup.ts' }),
	].filter((p) => require('fs').existsSync(p.roots[0].replace('<rootDir>', __dirname))),
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
