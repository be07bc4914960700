// Injected into the Workers entry only (scripts/build.mjs): the runtime's FinalizationRegistry, or
// where a Worker's compatibility date predates it, one that never calls back.
export const FinalizationRegistry = globalThis.FinalizationRegistry || class { register() {} unregister() {} };
