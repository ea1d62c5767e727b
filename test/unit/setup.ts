/**
 * Unit layer: no network but nock's, and no real waiting. `sleep` from n8n-workflow is the node's
 * only way to wait (n8n's sandbox forbids setTimeout), so replacing it makes retries instant while
 * the tests can still read how long the node would have waited.
 */
import nock from 'nock';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

// nock patches Node's http module, which every test file of a jest worker shares: activate it for
// this file only, and restore the real http afterwards, or the sandbox layer's real HTTP tests that
// run next in the same worker would meet a closed network.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	jest.clearAllMocks();
	if (pending.length > 0) throw new Error(`Expected requests were not made: ${pending.join(', ')}`);
});
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});
