// The demo page and lead forms of the embedded runtime: the Graph API
// stand-in (supabase/local/meta-graph.ts) serves them, start-up connects
// them to the demo org, and /dev/meta submits leads to them. Plain
// constants, so the app, the stand-in and tests share them.

export const DEMO_META = {
  pageId: "100000000000001",
  pageName: "Covey Demo Ads",
  formId: "200000000000001",
  formName: "Free consultation (demo)",
  otherFormId: "200000000000002",
  otherFormName: "Newsletter sign-up (demo)",
  token: "EAAGcoveyDemoPageToken0000000000000000000001",
} as const;

/**
 * The demo ad account: its campaigns are the ones the demo org's Meta leads
 * came from (supabase/seed.sql, and /dev/meta's "Demo campaign"), so cost
 * per lead has leads to count.
 */
export const DEMO_AD_ACCOUNT = {
  accountId: "act_300000000000001",
  name: "Covey Demo Ad Account",
  currency: "USD",
  timeZone: "America/Los_Angeles",
  // A system user's token with ads_read, as an agency would issue one.
  token: "EAAGcoveyDemoAdsSystemUserToken00000000001",
  campaigns: [
    { id: "120210000000001", name: "Spring promo" },
    { id: "120210000000002", name: "Retargeting" },
    { id: "120200000000000301", name: "Demo campaign" },
  ],
} as const;

export interface DemoForm {
  id: string;
  name: string;
  status: string;
  questions: { key: string; label: string; type: string; id: string }[];
}

const QUESTIONS = [
  { key: "full_name", label: "Full name", type: "FULL_NAME" },
  { key: "email", label: "Email", type: "EMAIL" },
  { key: "phone_number", label: "Phone number", type: "PHONE" },
  { key: "state", label: "State", type: "STATE" },
  { key: "zip_code", label: "ZIP code", type: "ZIP" },
  { key: "how_did_you_hear", label: "How did you hear about us?", type: "CUSTOM" },
];

export const DEMO_FORMS: DemoForm[] = [
  { id: DEMO_META.formId, name: DEMO_META.formName, status: "ACTIVE", questions: QUESTIONS.map((q, i) => ({ ...q, id: String(900 + i) })) },
  {
    id: DEMO_META.otherFormId,
    name: DEMO_META.otherFormName,
    status: "ACTIVE",
    questions: QUESTIONS.slice(0, 2).map((q, i) => ({ ...q, id: String(950 + i) })),
  },
];

/**
 * The surrogacy demo org's page ("Bloom Surrogacy Partners", seed.sql's
 * surrogacy demo section): its form's leads arrive as cases, and its
 * dataset gets the Qualified and Approved case stages (the surrogacy
 * template's Conversions API stages). Start-up connects it as it does the
 * demo page.
 */
export const SURROGACY_DEMO_META = {
  pageId: "100000000000002",
  pageName: "Bloom Surrogacy Ads",
  formId: "200000000000003",
  formName: "Become a surrogate (Bloom demo)",
  datasetId: "555000222333",
  token: "EAAGcoveyBloomPageToken00000000000000000002",
  ownerEmail: "bloom@covey.local",
} as const;

export const SURROGACY_DEMO_FORMS: DemoForm[] = [
  {
    id: SURROGACY_DEMO_META.formId,
    name: SURROGACY_DEMO_META.formName,
    status: "ACTIVE",
    questions: QUESTIONS.slice(0, 4).map((q, i) => ({ ...q, id: String(970 + i) })),
  },
];
