import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** JWT claims as the HTTP API authorizer passes them: arrays arrive as strings like "[a b]". */
export type JwtClaims = Record<string, string | number | boolean | string[]>;

/** An API Gateway HTTP API (payload 2.0) event, with the JWT authorizer's context when the route has one. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims: JwtClaims; scopes: string[] | null } };
  };
};

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};
