/**
 * The IAM policy engine: pure, synchronous, no clock of its own (the time arrives as the
 * aws:CurrentTime / aws:EpochTime context keys). Compile a policy once with compilePolicy, then
 * evaluate requests against compiled policy sets.
 *
 * Files: json-source (parser with positions), validate (grammar and IAM's messages), compile,
 * statement, wildcard, patterns and variables (text matching), values (dates, numbers, addresses),
 * conditions (operators), principals, evaluate, messages (AWS wording), context (key helper).
 */
export { compilePolicy, requireCurrentVersion } from './compile.js';
export { contextKeys } from './context.js';
export { PolicyDocumentError } from './errors.js';
export { evaluate } from './evaluate.js';
export { accessDeniedMessage } from './messages.js';
export type {
  CompiledPolicy, CompiledStatement, ContextValue, Decision, DenyKind, EvaluateOptions, MatchedStatement, PolicyKind, PolicySet,
  PolicySource, PrincipalIdentity, RequestContext, SourcePosition,
} from './types.js';
