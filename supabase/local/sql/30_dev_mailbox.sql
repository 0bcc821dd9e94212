-- The embedded runtime's mailbox: outgoing email lands here instead of a
-- provider, and /dev/mailbox shows it. Not tenant data and absent in
-- production.
create schema if not exists local_dev;
create table if not exists local_dev.mailbox (
  id bigint generated always as identity primary key,
  to_address text not null,
  from_address text not null,
  subject text not null,
  html text not null,
  text text not null,
  tag text,
  created_at timestamptz not null default now()
);
alter table local_dev.mailbox enable row level security;
grant usage on schema local_dev to service_role;
grant select, insert on local_dev.mailbox to service_role;
