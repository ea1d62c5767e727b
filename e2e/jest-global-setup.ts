// Jest global setup of the e2e project: once per run, install n8n on first need and build + pack
// the package; the workers find the extracted package through E2E_PACKAGE_DIR.
import { ensureN8n, preparePackage } from './harness';

export default function globalSetup(): void {
	const started = Date.now();
	ensureN8n();
	const given = process.env.E2E_PACKAGE_DIR;
	const pkg = preparePackage();
	process.env.E2E_PACKAGE_DIR = pkg.dir;
	if (pkg.tarball) process.env.E2E_PACKAGE_TARBALL = pkg.tarball;
	if (!given) process.env.E2E_PACKAGE_PACKED = pkg.dir; // ours to delete in the teardown
	process.stdout.write(
		`\n[e2e] n8n ready, package packed (${Math.round((Date.now() - started) / 1000)} s): ${pkg.dir}\n`,
	);
}
