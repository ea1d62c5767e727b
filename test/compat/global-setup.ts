// Jest global setup of the compat project: installs n8n 1.123.81 into e2e/n8n-1 on first need
// (7-10 min and ~2.7 GB once), and builds and packs the package once per run, like the e2e
// project's setup (the two share the packed folder through E2E_PACKAGE_DIR).
import { ensureN8n, preparePackage } from '../../e2e/harness';
import { n8n1Dir } from './n8n1';

export default function globalSetup(): void {
	const started = Date.now();
	ensureN8n(n8n1Dir);
	const given = process.env.E2E_PACKAGE_DIR;
	const pkg = preparePackage();
	process.env.E2E_PACKAGE_DIR = pkg.dir;
	if (pkg.tarball) process.env.E2E_PACKAGE_TARBALL = pkg.tarball;
	if (!given) process.env.E2E_PACKAGE_PACKED = pkg.dir; // ours to delete in the teardown
	process.stdout.write(
		`\n[compat] n8n 1.x ready, package packed (${Math.round((Date.now() - started) / 1000)} s): ${pkg.dir}\n`,
	);
}
