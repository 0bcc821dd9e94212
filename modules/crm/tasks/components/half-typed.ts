// A date or time box holding a half-typed value ("03/14/yyyy") reports its
// value as "", which would save as no due date; only its validity tells.

export const HALF_TYPED_MESSAGES = {
  dueDate: "Finish the date (month, day and year) or clear it",
  dueTime: "Finish the time or clear it",
} as const;

/** The first of the form's date and time boxes that holds a half-typed value, by name. */
export function halfTypedField(form: HTMLFormElement): keyof typeof HALF_TYPED_MESSAGES | undefined {
  return (Object.keys(HALF_TYPED_MESSAGES) as (keyof typeof HALF_TYPED_MESSAGES)[]).find((name) => {
    const input = form.elements.namedItem(name);
    return input instanceof HTMLInputElement && input.validity.badInput;
  });
}
