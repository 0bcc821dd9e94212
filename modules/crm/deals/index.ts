// Server face of crm/deals: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { BOARD_CARDS_PER_COLUMN, boardVersion, dealListFields, getDeal, getStageHistory, listDeals, loadBoard, loadStageCards } from "./queries";
export { archiveDeals, createDeal, deleteDeals, moveDeal, setDealStatus, updateDeal } from "./service";
export { createDealWithPerson, personForDeal } from "./person-deal";
