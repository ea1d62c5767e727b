// Real-n8n harness: runs our built package inside the n8n of e2e/n8n (2.41.1), headless.
//
//   const pkg = preparePackage();                 // npm run build + npm pack, once per run
//   const n8n = await createInstance();           // fresh user folder with the package in it
//   await n8n.importCredentials([sandboxCredential(url)]);
//   await n8n.importWorkflows([workflow]);
//   const run = await n8n.execute(workflow.id);   // n8n execute --id --rawOutput, parsed
//   const server = await n8n.start();             // n8n start on a free 127.0.0.1 port
//   await server.setupOwner(); await server.createApiKey(); await server.activate(id);
//   await server.waitForExecutions(id, 1);
//   const worker = await n8n.startWorker();       // `n8n worker` (queue mode: see e2e/queue.ts)
//   await server.stop(); await n8n.dispose();
//
// Every CLI call and the server append their output to `instance.logFile`, so a test can assert on
// what n8n said (no load error for our package, the API key never printed).
//
// This file only re-exports the harness's public API, one module per concern:
//   package.ts   the package under test and the n8n install (build, pack, copy into a user folder)
//   process.ts   spawning and ending n8n processes (process groups, output to files), their env
//   instance.ts  N8nInstance: a user folder and its CLI commands; credentials and workflows
//   server.ts    N8nServer and N8nProcess: `n8n start` and `n8n worker`, REST and public API
//   run-data.ts  what an execution produced, per node; load problems in n8n's log
export {
	CREDENTIAL_TYPE,
	ensureN8n,
	installPackage,
	n8nBin,
	n8nBinIn,
	n8nDir,
	NODE_TYPE,
	PACKAGE_NAME,
	preparePackage,
	removePreparedPackage,
	repoRoot,
	testRoot,
	TRIGGER_NODE_TYPE,
	type PreparedPackage,
} from './package';
export { freePort, n8nEnv, nodeBinary, sleep } from './process';
export {
	createInstance,
	CREDENTIAL_ID,
	N8nInstance,
	SANDBOX_API_KEY,
	SANDBOX_PARTNER_ID,
	sandboxCredential,
	type CliResult,
	type CredentialInput,
	type InstanceOptions,
	type WorkflowInput,
} from './instance';
export {
	defaultOwner,
	generatePassword,
	N8nProcess,
	N8nServer,
	type Owner,
	type StartOptions,
	type WorkerOptions,
} from './server';
export {
	executionNodes,
	executionRun,
	packageProblems,
	parseExecuteOutput,
	summarizeRun,
	type Execution,
	type ExecuteResult,
	type NodeResult,
} from './run-data';
