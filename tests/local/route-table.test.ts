import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../functions/http/routes.js';
import { compileRoute, createRouteTable } from '../../local/route-table.js';

const route = (id: string, method: RouteDefinition['method'], path: string): RouteDefinition => ({
  id,
  method,
  path,
  handler: id,
  access: 'public',
  tableAccess: 'none',
  summary: '',
});

const ROUTES = [
  route('byId', 'GET', '/items/{itemId}'),
  route('mine', 'GET', '/items/mine'),
  route('update', 'PUT', '/items/{itemId}'),
  route('first', 'GET', '/a/{x}'),
  route('second', 'GET', '/{y}/b'),
  route('files', 'GET', '/files/{path+}'),
];

describe('route table', () => {
  const table = createRouteTable(ROUTES);

  it('chooses the route with the fewest parameters, whatever the declaration order', () => {
    expect(table.routeFor('/items/mine', 'GET')?.compiled.route.id).toBe('mine');
    const byId = table.routeFor('/items/42', 'GET');
    expect(byId?.compiled.route.id).toBe('byId');
    expect(byId?.groups[1]).toBe('42');
  });

  it('between routes as specific as each other, takes the one declared first', () => {
    expect(table.routeFor('/a/b', 'GET')?.compiled.route.id).toBe('first');
  });

  it('matches by method, and finds nothing for a method the path does not have', () => {
    expect(table.routeFor('/items/mine', 'PUT')?.compiled.route.id).toBe('update');
    expect(table.routeFor('/items/mine', 'DELETE')).toBeUndefined();
    expect(table.routeFor('/nowhere', 'GET')).toBeUndefined();
  });

  it('lists the methods a path has, once each, in declaration order; none for an unknown path', () => {
    expect(table.methodsAt('/items/mine')).toEqual(['GET', 'PUT']);
    expect(table.methodsAt('/items/a/b')).toEqual([]);
    expect(table.methodsAt('/nowhere')).toEqual([]);
  });

  it('lets a {name+} parameter take the rest of the path, slashes included', () => {
    expect(table.routeFor('/files/a/b/c.txt', 'GET')?.groups[1]).toBe('a/b/c.txt');
    expect(compileRoute(route('x', 'GET', '/a.b/{id}')).pattern.test('/aXb/1')).toBe(false);
  });
});
