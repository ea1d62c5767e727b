// Jest global teardown of the e2e project: deletes the temp folder the global setup packed into.
import { removePreparedPackage } from './harness';

export default function globalTeardown(): void {
	removePreparedPackage(process.env.E2E_PACKAGE_PACKED);
}
