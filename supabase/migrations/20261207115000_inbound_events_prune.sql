-- Raw inbound deliveries go after 30 days (private.prune_inbound_events),
-- once a day through the job queue.
insert into private.job_schedules (name, kind, payload, every)
values ('inbound_events.prune', 'inbound_events.prune', '{}', '1 day');
