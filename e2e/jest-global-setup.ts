// Jest global setup of the e2e project: once per run, install n8n on first need and build + pack
// the package; the workers find the extracted package through E2E_PACKAGE_DIR.
import { ensureN8n, preparePackage } from './harness';

export default function globalSetup(): void {
	// The queue layer's setup runs this one too: once per run is enough.
	if (process.env.E2E_GLOBAL_SETUP_DONE === '1') return;
	const started = Date.now();
	ensureN8n();
	const given = process.env.E2E_PACKAGE_DIR;
	const pkg = preparePackage();
	process.env.E2E_PACKAGE_DIR = pkg.dir;
	if (pkg.tarball) process.env.E2E_PACKAGE_TARBALL = pkg.tarball;
	if (!given) process.env.E2E_PACKAGE_PACKED = pkg.dir; // ours to delete in the teardown
	process.env.E2E_GLOBAL_SETUP_DONE = '1';
	process.stdout.write(
		`\n[e2e] n8n ready, package packed (${Math.round((Date.now() - started) / 1000)} s): ${pkg.dir}\n`,
	);
}
