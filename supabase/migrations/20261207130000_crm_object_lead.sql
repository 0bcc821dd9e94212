-- Leads carry custom fields like people, companies and deals: their
-- definitions are custom_field_definitions rows of object type `lead`. A new
-- enum value cannot be used in the transaction that adds it, so it has its
-- own migration before the leads table.
alter type public.crm_object add value if not exists 'lead';
