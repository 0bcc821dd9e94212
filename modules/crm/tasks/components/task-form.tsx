"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { useTimeZone } from "@/components/time-zone";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from "@/components/ui/form";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { addTask, editTask } from "../actions";
import { PRIORITY_LABELS, STATUS_LABELS, TASK_PRIORITIES, TASK_STATUSES, taskSchema, type TaskInput } from "../schema";
import { DuePresets } from "./due-presets";
import { HALF_TYPED_MESSAGES, halfTypedField } from "./half-typed";

const UNASSIGNED = "__none";

/**
 * Every field of a task; dates are typed in the member's zone, in which the
 * date presets count too. Without an `id` it creates the task and calls
 * `onDone`.
 */
export function TaskForm(props: {
  id?: string;
  values: TaskInput;
  members: { id: string; name: string }[];
  onDone?: () => void;
}) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const { form, onSubmit, formError, submitting } = useActionForm({
    schema: taskSchema,
    action: (values) => (props.id ? editTask({ ...values, id: props.id }) : addTask(values)),
    defaultValues: props.values,
    onSuccess: () => {
      toast.success(props.id ? "Task saved" : "Task created");
      router.refresh();
      props.onDone?.();
    },
  });
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    const half = halfTypedField(e.currentTarget);
    if (!half) return onSubmit(e);
    e.preventDefault();
    form.setError(half, { message: HALF_TYPED_MESSAGES[half] }, { shouldFocus: true });
  };
  return (
    <Form {...form}>
      <form onSubmit={submit} className="grid max-w-2xl gap-4" noValidate aria-label={props.id ? "Edit task" : "New task"}>
        <FormError message={formError} />
        <TextField control={form.control} name="title" label="Title" />
        <FormField
          control={form.control}
          name="description"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Description</FormLabel>
              <FormControl>
                <Textarea {...field} value={field.value ?? ""} rows={4} />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            control={form.control}
            name="dueDate"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Due date</FormLabel>
                <div className="flex gap-2">
                  <FormControl>
                    <Input {...field} value={field.value ?? ""} type="date" />
                  </FormControl>
                  <DuePresets
                    timeZone={timeZone}
                    onPick={(date) => form.setValue("dueDate", date, { shouldDirty: true, shouldValidate: form.formState.isSubmitted })}
                  />
                </div>
                <FormMessage />
              </FormItem>
            )}
          />
          <TextField control={form.control} name="dueTime" label="Time (optional)" type="time" />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField
            control={form.control}
            name="status"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Status</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl>
                    <SelectTrigger className="w-full">
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    {TASK_STATUSES.map((s) => (
                      <SelectItem key={s} value={s}>
                        {STATUS_LABELS[s]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="priority"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Priority</FormLabel>
                <Select value={field.value} onValueChange={field.onChange}>
                  <FormControl>
                    <SelectTrigger className="w-full">
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    {TASK_PRIORITIES.map((p) => (
                      <SelectItem key={p} value={p}>
                        {PRIORITY_LABELS[p]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
                <FormMessage />
              </FormItem>
            )}
          />
          <FormField
            control={form.control}
            name="assigneeId"
            render={({ field }) => (
              <FormItem>
                <FormLabel>Assignee</FormLabel>
                <Select value={field.value || UNASSIGNED} onValueChange={(v) => field.onChange(v === UNASSIGNED ? "" : v)}>
                  <FormControl>
                    <SelectTrigger className="w-full">
                      <SelectValue />
                    </SelectTrigger>
                  </FormControl>
                  <SelectContent>
                    <SelectItem value={UNASSIGNED}>Unassigned</SelectItem>
                    {props.members.map((m) => (
                      <SelectItem key={m.id} value={m.id}>
                        {m.name}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
                <FormMessage />
              </FormItem>
            )}
          />
        </div>
        <div className="flex gap-2">
          <Button type="submit" disabled={submitting}>
            {submitting ? "Saving…" : props.id ? "Save" : "Create task"}
          </Button>
          {props.onDone ? (
            <Button type="button" variant="outline" onClick={props.onDone}>
              Cancel
            </Button>
          ) : null}
        </div>
      </form>
    </Form>
  );
}
