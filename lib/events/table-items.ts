import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Item calls on the base table only: none of the event functions uses the index. */
export const grantTableItems = (fn: NodejsFunction, table: dynamodb.ITable, actions: string[]): void => {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
};
