// Server face of crm/pipelines: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { canUseStage, getPipelineOrDefault, listPipelineNouns, listPipelines, type Pipeline, type Stage, stageRestrictionWords } from "./queries";
export { addStage, archivePipeline, createPipeline, deletePipeline, deleteStage, renamePipeline, reorderStages, setPipelineNouns, updateStage } from "./service";
