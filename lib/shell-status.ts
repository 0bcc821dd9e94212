// The app shell's counts (the bell, open alerts) are polled; a component
// that just changed one (marked notifications read, acknowledged an alert)
// announces it so the shell asks again at once instead of at the next poll.
// Browser only.

export const SHELL_STATUS_CHANGED = "covey:shell-status-changed";

export function announceShellStatusChanged() {
  window.dispatchEvent(new Event(SHELL_STATUS_CHANGED));
}
