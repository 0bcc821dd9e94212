-- private.board_changes (20261121009600) holds no org_id and no tenant data:
-- only pipeline ids a transaction touched, written and emptied within that
-- transaction by the security-definer triggers that own it. No role is
-- granted access to it. Row-level security with no policy makes that
-- explicit: anyone but its owner (the triggers) sees and writes nothing.
alter table private.board_changes enable row level security;
