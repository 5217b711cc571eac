import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../lib/stage-config.js';
import { type Synthesised, synthesise } from '../support/synthesise.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-secrets-key-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

/** The routes that make secrets, named here rather than read from the route table under test. */
const SEALING_ROUTES = ['createSubscription', 'rotateSubscriptionSecret'];

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const actionsOf = (statement: Statement): string[] => asList(statement.Action);

/** Every IAM policy statement of the template, with the logical IDs of the roles it is attached to. */
const iamStatements = (s: Synthesised): { roles: string[]; statement: Statement }[] =>
  Object.entries(s.template.toJSON().Resources as Record<string, Resource>).flatMap(([id, resource]) => {
    if (resource.Type === 'AWS::IAM::Policy') {
      const roles = (resource.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
      const { Statement } = resource.Properties.PolicyDocument as { Statement: Statement[] };
      return Statement.map((statement) => ({ roles, statement }));
    }
    if (resource.Type === 'AWS::IAM::Role') {
      const inline = (resource.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
      return inline.flatMap((p) =>
        p.PolicyDocument.Statement.map((statement) => ({ roles: [id], statement })),
      );
    }
    return [];
  });

const roleIdOf = (s: Synthesised, fn: { role?: { node: { defaultChild?: unknown } } | undefined }): string =>
  s.stack.getLogicalId(fn.role?.node.defaultChild as CfnElement);

/**
 * The secrets key, after checking that the stack holds no key but it and the alarm topic's (whose
 * policy tracker-monitoring.test.ts checks).
 */
const keyOf = (s: Synthesised): { id: string; resource: Resource } => {
  const keys = s.template.findResources('AWS::KMS::Key') as Record<string, Resource>;
  const idOf = (key: { node: { defaultChild?: unknown } }) =>
    s.stack.getLogicalId(key.node.defaultChild as CfnElement);
  const id = idOf(s.stack.secretsKey.key);
  expect(Object.keys(keys).sort()).toEqual([id, idOf(s.stack.monitoring.topic.key)].sort());
  return { id, resource: keys[id] as Resource };
};

/** Logical IDs of the roles (or the account) a key policy statement names. */
const principalsOf = (statement: Statement): string[] =>
  asList((statement.Principal as { AWS: unknown }).AWS).map((principal) => {
    const getAtt = (principal as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    return getAtt ? getAtt[0] : 'account';
  });

describe.each(['dev', 'prod'] as const)('the webhook secrets key of the %s stack', (stage) => {
  let s: Synthesised;
  let deliverer: string;
  let sealers: string[];
  beforeAll(() => {
    s = synthesise(OUTDIR, `LivelihoodTracker-${stage}`, STAGES[stage]);
    deliverer = roleIdOf(s, s.stack.events.deliverer);
    sealers = SEALING_ROUTES.map((route) => roleIdOf(s, s.stack.functions.forRoute(route)));
  }, 180_000);

  it('is rotated by KMS, and kept on stack deletion exactly where the table is', () => {
    const { resource } = keyOf(s);
    expect(resource.Properties.EnableKeyRotation).toBe(true);
    expect(resource.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
  });

  it("lets no IAM policy but the deliverer's decrypt, and none but the sealing routes' generate data keys", () => {
    const { id } = keyOf(s);
    const holders = (action: string) =>
      iamStatements(s)
        .filter(({ statement }) => statement.Effect === 'Allow' && actionsOf(statement).includes(action))
        .flatMap(({ roles, statement }) => {
          expect(statement.Resource).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
          return roles;
        })
        .sort();
    expect(holders('kms:Decrypt')).toEqual([deliverer]);
    expect(holders('kms:GenerateDataKey')).toEqual([...sealers].sort());
    const kmsActions = iamStatements(s).flatMap(({ statement }) =>
      actionsOf(statement).filter((action) => action.startsWith('kms:') || action.includes('*')),
    );
    expect(kmsActions.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKey']);
  });

  it('names the same roles in its key policy, and leaves the account only its management', () => {
    const statements = (keyOf(s).resource.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
    const users = (action: string) =>
      statements
        .filter((st) => actionsOf(st).includes(action))
        .flatMap(principalsOf)
        .sort();
    expect(users('kms:Decrypt')).toEqual([deliverer]);
    expect(users('kms:GenerateDataKey')).toEqual([...sealers].sort());
    const all = statements.flatMap(actionsOf);
    for (const action of all) expect(action).not.toContain('*');
    const account = statements.filter((st) => principalsOf(st).includes('account')).flatMap(actionsOf);
    for (const use of ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant']) {
      expect(account).not.toContain(use);
    }
  });

  it('tells only the functions that use it which key it is', () => {
    const { id } = keyOf(s);
    const functions = Object.entries(s.template.findResources('AWS::Lambda::Function')) as [
      string,
      Resource,
    ][];
    const told = functions
      .filter(([, fn]) => {
        const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables;
        const value = variables?.WEBHOOK_SECRETS_KMS_KEY_ID;
        if (value !== undefined) expect(value).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
        return value !== undefined;
      })
      .map(([, fn]) => JSON.stringify(fn.Properties.Role));
    expect(told.sort()).toEqual(
      [deliverer, ...sealers].map((role) => JSON.stringify({ 'Fn::GetAtt': [role, 'Arn'] })).sort(),
    );
  });
});
