// Injected into the Workers entry only (scripts/build.mjs): the runtime's FinalizationRegistry
// and WeakRef, or where a Worker's compatibility date predates them, one that never calls back
// and one that holds its target (as a plain reference would).
export const FinalizationRegistry = globalThis.FinalizationRegistry || class { register() {} unregister() {} };
export const WeakRef = globalThis.WeakRef || class { constructor(target) { this.deref = () => target; } };
