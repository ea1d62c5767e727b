// Every e2e test starts real processes (n8n takes 10-20 s to boot on two cores).
jest.setTimeout(300_000);
