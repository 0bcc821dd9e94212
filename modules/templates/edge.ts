// Web-standard face of templates: the variable engine, for code Edge
// Functions and jobs run (Deno).
export { describeProblems, listTokens, problemsOf, render, type Rendered, TEMPLATE_VARIABLES, type TextProblems, type VariableKey, type VariableValues, variablesIn } from "./engine.ts";
