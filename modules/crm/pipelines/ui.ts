// Browser-safe face of crm/pipelines: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { PipelineSettings } from "./components/pipeline-settings";
export { pipelineCreateSchema, stageFieldsSchema } from "./schema";
export { DEFAULT_NOUNS, inSentence, type Nouns, nounsOf, pipelineListWords, type PipelineNavEntry, pipelineNavEntries } from "./nouns";
