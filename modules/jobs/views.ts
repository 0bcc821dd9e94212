// The views of Settings → Jobs: which jobs each tab lists. Client-safe.

export const JOB_VIEWS = ["failed", "dead", "pending", "running", "succeeded"] as const;
export type JobView = (typeof JOB_VIEWS)[number];

export const JOB_VIEW_LABELS: Record<JobView, string> = {
  failed: "Failed",
  dead: "Dead",
  pending: "Pending",
  running: "Running",
  succeeded: "Succeeded",
};

export const JOB_VIEW_HINTS: Record<JobView, string> = {
  failed: "Failed at least once and waiting for their next attempt.",
  dead: "Gave up: every attempt failed, or the failure could not be retried. Retry runs them again.",
  pending: "Waiting for their first run.",
  running: "Claimed by a worker right now.",
  succeeded: "Finished in the last 7 days.",
};

export function jobView(value: string | undefined): JobView {
  return (JOB_VIEWS as readonly string[]).includes(value ?? "") ? (value as JobView) : "failed";
}
