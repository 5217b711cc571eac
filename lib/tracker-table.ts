import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GSI1, STREAM_VIEW, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/storage/table-definition.js';

export interface TrackerTableProps {
  /** Retain the table on stack deletion and turn on deletion protection (prod). */
  protectData: boolean;
}

/** The single table, provisioned from the same definition the repositories and local runtime use. */
export class TrackerTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: TrackerTableProps) {
    super(scope, id);

    this.table = new StreamReadableTable(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType[STREAM_VIEW],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.table.addGlobalSecondaryIndex({
      indexName: GSI1.indexName,
      partitionKey: { name: GSI1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: GSI1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}

/** The stream actions a reader uses on the stream itself. */
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

/**
 * A table whose stream readers may list this table's streams only. CDK grants
 * dynamodb:ListStreams on '*' (every stream of the account); DynamoDB scopes it to one table's
 * streams with `<table ARN>/stream/*` (Developer Guide, "IAM policy to grant read access for a
 * DynamoDB stream only"). The `*` there stands for the stream's label, which changes whenever the
 * stream is turned off and on again.
 */
class StreamReadableTable extends dynamodb.Table {
  override grantStreamRead(grantee: iam.IGrantable): iam.Grant {
    this.grantTableListStreams(grantee);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: STREAM_READ_ACTIONS,
      resourceArns: [this.streamArn()],
    });
  }

  override grantTableListStreams(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:ListStreams'],
      resourceArns: [`${this.tableArn}/stream/*`],
    });
  }

  private streamArn(): string {
    if (this.tableStreamArn === undefined) throw new Error(`${this.node.path} has no stream`);
    return this.tableStreamArn;
  }
}
