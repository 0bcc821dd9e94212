-- Resolves the unresolved alert of a fingerprint (service_role: jobs and
-- adapters whose check finds the problem gone, e.g. a Meta page token that
-- works again). Returns whether there was one. Coming back later raises a
-- new alert, which notifies again.
create function private.resolve_alert(org_id uuid, fingerprint text) returns boolean
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  update public.integration_alerts a
     set status = 'resolved'
   where a.org_id = resolve_alert.org_id and a.fingerprint = resolve_alert.fingerprint and a.status <> 'resolved';
  return found;
end
$$;
revoke all on function private.resolve_alert(uuid, text) from public;
grant execute on function private.resolve_alert(uuid, text) to service_role;
