import { sleep } from 'n8n-workflow';

/** The waits the node asked for (the unit layer mocks `sleep`). */
export const sleeps = (): number[] => (sleep as jest.Mock).mock.calls.map(([ms]) => ms as number);
