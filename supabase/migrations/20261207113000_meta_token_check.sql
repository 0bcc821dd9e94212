-- Meta does not warn when a page token is about to expire or loses a
-- permission; the meta.token_check job (modules/meta/token-check.ts) asks
-- debug_token about every connected page once a day and notifies the org's
-- owners and admins.
insert into private.job_schedules (name, kind, payload, every)
values ('meta.token_check', 'meta.token_check', '{}', '1 day');
