/**
 * Builds a handler on its first invocation and reuses it after: importing a handler module has
 * no side effects (tests import the factories), and clients are created once per environment.
 */
export const lazy = <A extends unknown[], R>(build: () => (...args: A) => R): ((...args: A) => R) => {
  let built: ((...args: A) => R) | undefined;
  return (...args) => {
    built ??= build();
    return built(...args);
  };
};
