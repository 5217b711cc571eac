/**
 * How the local runtime writes its own lines (the gateway's access log, the emulators' notes): one
 * write of the line to stdout. Not `console.log`, whose formatting and error-listener dance cost
 * more than the line itself on every request.
 */
export const writeLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
