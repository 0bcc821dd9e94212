-- After supabase/local/sql: what `postgres` may do to the auth schema on
-- Supabase, and the migration history the CLI creates as `postgres`.
grant usage on schema auth to postgres;
grant all on all tables in schema auth to postgres;
grant execute on all functions in schema auth to postgres;
alter schema supabase_migrations owner to postgres;
alter table supabase_migrations.schema_migrations owner to postgres;
alter table supabase_migrations.seed_files owner to postgres;
