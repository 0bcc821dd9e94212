-- What a hosted Supabase project gives the database before its first
-- migration, as far as migrations can tell: applied by the bootstrap
-- superuser (Supabase's supabase_admin) to a fresh database owned by
-- `postgres`, before supabase/local/sql. Migrations then run as `postgres`,
-- which is not a superuser there.

-- Extensions live in their own schema, on the search_path of `postgres`;
-- pgcrypto and uuid-ossp come enabled, anything else a migration must create.
create schema extensions authorization postgres;
create extension pgcrypto with schema extensions;
create extension "uuid-ossp" with schema extensions;
alter role postgres set search_path = "$user", public, extensions;
alter role current_user set search_path = "$user", public, extensions;

-- The API roles, and the grants Supabase gives them on what `postgres` creates.
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role supabase_auth_admin login noinherit createrole;
grant usage on schema extensions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;
