-- An accepted web form submission names the lead it made or found (a second
-- submission with the same email finds the first one's lead), so the form's
-- log and the lead's raw payload tell the same story. Deleting the lead
-- keeps the submission.
alter table public.web_form_submissions
  add column lead_id uuid,
  add constraint web_form_submissions_lead_fkey foreign key (lead_id, org_id)
    references public.leads (id, org_id) on delete set null (lead_id),
  add constraint web_form_submissions_lead_check check (outcome = 'accepted' or lead_id is null);
create index web_form_submissions_lead_idx on public.web_form_submissions (lead_id) where lead_id is not null;
