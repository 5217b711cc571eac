/**
 * How the local gateway finds a request's route, as API Gateway does: by path, then method, the
 * most specific route first. The routes are compiled once; a request only runs their patterns.
 */
import type { RouteDefinition } from '../functions/http/routes.js';

export interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  /** The path parameters' names, in the order of the pattern's groups. */
  names: string[];
}

/** The route chosen for a request, and the pattern's groups: the raw path parameters. */
export interface RouteMatch {
  compiled: CompiledRoute;
  groups: RegExpExecArray;
}

export interface RouteTable {
  /** The route for `method` at `rawPath`, the one with the fewest parameters when several match. */
  routeFor(rawPath: string, method: string): RouteMatch | undefined;
  /** The methods some route declares at `rawPath`, in declaration order: none when no route has it. */
  methodsAt(rawPath: string): string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/projects/{projectId}` → /^\/projects\/([^/]+)$/; `{proxy+}` is greedy like API Gateway's. */
export const compileRoute = (route: RouteDefinition): CompiledRoute => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{([^{}+]+)(\+)?\}$/.exec(segment);
      if (!match?.[1]) return escapeRegExp(segment);
      names.push(match[1]);
      return match[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
};

export const createRouteTable = (routes: readonly RouteDefinition[]): RouteTable => {
  const compiled = routes.map(compileRoute);
  // A stable sort: between routes as specific as each other, the one declared first wins.
  const mostSpecificFirst = [...compiled].sort((a, b) => a.names.length - b.names.length);
  return {
    routeFor: (rawPath, method) => {
      for (const candidate of mostSpecificFirst) {
        if (candidate.route.method !== method) continue;
        const groups = candidate.pattern.exec(rawPath);
        if (groups !== null) return { compiled: candidate, groups };
      }
      return undefined;
    },
    methodsAt: (rawPath) => {
      const methods = new Set<string>();
      for (const candidate of compiled) {
        if (candidate.pattern.test(rawPath)) methods.add(candidate.route.method);
      }
      return [...methods];
    },
  };
};
