// Browser-safe face of crm/deals: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { archiveDealsAction, assignDealsAction, deleteDealsAction, editDealCellAction, restoreDealsAction, tagDealsAction } from "./actions";
export { BoardToolbar } from "./components/board-toolbar";
export { EditDealButton } from "./components/edit-deal-button";
export { DealNumber } from "./components/deal-number";
export { DealPriorityToggle } from "./components/deal-priority-toggle";
export { DealRecordActions } from "./components/deal-record-actions";
export { DealStatusButtons } from "./components/deal-status-buttons";
export { KanbanBoard } from "./components/kanban-board";
export { NewDealButton } from "./components/new-deal-button";
export { NewPersonDealButton } from "./components/new-person-deal-button";
export { StageProgress } from "./components/stage-progress";
export { formatDealNumber } from "./numbers";
export { BOARD_CARDS_MAX_PAGE, boardFiltersSchema, type DealInput, dealSchema, dealStatusSchema } from "./schema";
export { type PersonDealFormInput, personDealSchema } from "./person-deal-schema";
