/**
 * A function's SDK floor: a bundle that only creates the AWS SDK clients the function's own bundle
 * carries. No code of ours can take a function under it, so the distance to it is what our code
 * and libraries cost. The set comes from the function's esbuild metafile, so it cannot drift
 * from what the function really bundles. Pure, so that tests/unit/bench can hold it.
 */
import type { Metafile } from 'esbuild';

export interface SdkClient {
  /** `@aws-sdk/client-sqs` */
  packageName: string;
  /** `SQSClient`, the class the package's `dist-es/SQSClient.js` defines. */
  className: string;
}

/** A client package's class module, wherever node_modules sits (the path may be a symlink's target). */
const CLIENT_MODULE =
  /(?:^|\/)node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/([A-Za-z0-9]+Client)\.js$/;

/**
 * The SDK clients whose class made it into the bundle, by package name. A client package whose
 * class esbuild dropped (a command imported for its type, say) creates nothing and is left out.
 */
export const sdkClientsOf = (metafile: Metafile): SdkClient[] => {
  const found = new Map<string, SdkClient>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = CLIENT_MODULE.exec(path);
      if (match === null || input.bytesInOutput === 0) continue;
      const [, packageName, className] = match as unknown as [string, string, string];
      found.set(packageName, { packageName, className });
    }
  }
  return [...found.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
};

/** One name per set of clients, the same whatever order they were found in. */
export const floorKey = (clients: readonly SdkClient[]): string =>
  clients
    .map((client) => client.className)
    .sort()
    .join('+');

/** How the tables name a floor: `SDK floor (DynamoDB + SQS)`. */
export const floorName = (clients: readonly SdkClient[]): string =>
  `SDK floor (${clients.map((client) => client.className.replace(/Client$/, '')).join(' + ')})`;

/**
 * The floor's module: each client created once at load, as a function creates its clients on
 * its first invocation, and exported so that esbuild keeps them.
 */
export const sdkFloorSource = (clients: readonly SdkClient[]): string => {
  if (clients.length === 0) throw new Error('an SDK floor needs at least one client');
  return [
    ...clients.map((client) => `import { ${client.className} } from '${client.packageName}';`),
    `const clients = [${clients.map((client) => `new ${client.className}({})`).join(', ')}];`,
    'export const handler = async () => clients;',
    '',
  ].join('\n');
};
