export type { AnyPlugin, PluginBuiltins, PluginFactory, PluginFactoryContext, PluginKind, PluginKindMap } from './kinds.js';
export { REQUIRED_METHODS } from './kinds.js';
export { assertPluginContract, type ContractSubject } from './contract.js';
export { importPluginModule, isPathSpecifier, type ModuleLookup } from './load-module.js';
export { resolvePlugin, resolveAllPlugins, type ResolvePluginOptions, type ResolveAllOptions, type ResolvedPlugins } from './resolve.js';
export { createRunContainer, registerDefault, systemClock, TOKENS, type Clock, type RunBindings, type RunParts } from './container.js';
