/**
 * The one statement every function role holds with Resource '*': active X-Ray tracing's, whose two
 * actions take no resource-level permission. Permission tests allow exactly this statement, as
 * written, and no other use of '*'.
 */
export const XRAY_STATEMENT = {
  Effect: 'Allow',
  Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
  Resource: '*',
} as const;

/** Whether `statement` is exactly XRAY_STATEMENT: no other action, condition or principal. */
export const isXrayStatement = (statement: unknown): boolean => {
  const st = statement as Record<string, unknown>;
  return (
    Object.keys(st).sort().join() === 'Action,Effect,Resource' &&
    st.Effect === XRAY_STATEMENT.Effect &&
    st.Resource === XRAY_STATEMENT.Resource &&
    JSON.stringify(st.Action) === JSON.stringify(XRAY_STATEMENT.Action)
  );
};
