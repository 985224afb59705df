// on-exit-leak-free (pino's exit-hook helper) ships no types; the two calls used here.
declare module 'on-exit-leak-free' {
  export function register<T extends object>(
    obj: T,
    fn: (obj: T, event: 'exit' | 'beforeExit') => void,
  ): void;
  export function unregister(obj: object): void;
}
