/**
 * flows/: the flow language, with no I/O. The server, the designer and tests import from here.
 *   project/     the project document: schema, loading, migrations
 *   blocks/      one file per block type, and the registry
 *   call-port.ts the transport-agnostic call;   services.ts  ports to the outside world
 *   compile.ts   a project made ready to run;   interpreter.ts  runs it over a CallPort
 *   runtime/     the interpreter's parts (run loop, results, trace, failures) and the blocks' helpers
 *   validate.ts  the one validator;             catalogue.ts  palette entries and JSON Schemas
 *   versioning.ts published-version immutability (pure half)
 *   testing/     scripted caller, virtual clock, in-memory services (tests, CLI, simulator)
 */
export * from './project/index.ts';
export * from './call-port.ts';
export * from './call-port-base.ts';
export * from './services.ts';
export * from './clock.ts';
export * from './block.ts';
export * from './problems.ts';
export { BUILTIN_BLOCKS, createRegistry, defaultRegistry, type BlockRegistry } from './blocks/index.ts';
export { compileProject, isCompiledProject, type CompiledBlock, type CompiledProject, type CompileOptions, type SourceUse } from './compile.ts';
export * from './interpreter.ts';
export * from './validate.ts';
export * from './catalogue.ts';
export * from './versioning.ts';
