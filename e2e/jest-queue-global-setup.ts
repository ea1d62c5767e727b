// Jest global setup of the queue project: the e2e one (n8n, the packed package), then PostgreSQL
// and Redis provisioned once for all test workers (e2e/provision.ts). A provisioning failure does
// not stop the other layers: it is passed on, and every start of that server in this run fails at
// once with its one line (what to run).
import e2eGlobalSetup from './jest-global-setup';
import { ensurePostgres, ensureRedis, ProvisionError } from './provision';
import { PROVISION_ERROR_ENV } from './services';

function provision(what: keyof typeof PROVISION_ERROR_ENV, ensure: () => void): void {
	try {
		ensure();
	} catch (error) {
		if (!(error instanceof ProvisionError)) throw error;
		process.env[PROVISION_ERROR_ENV[what]] = error.message;
		process.stdout.write(`\n[queue] ${error.message}\n`);
	}
}

export default function queueGlobalSetup(): void {
	e2eGlobalSetup();
	provision('postgres', () => ensurePostgres());
	provision('redis', () => {
		process.env.REDIS_SERVER = ensureRedis();
	});
}
