"use client";

import { PlusIcon, UserMinusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/action-result";
import {
  addTeamMemberAction,
  archiveTeamAction,
  createTeamAction,
  removeTeamMemberAction,
  restoreTeamAction,
  updateTeamAction,
} from "../actions";
import type { Team } from "../queries";

type Run = (fn: () => Promise<ActionResult<unknown>>, success: string) => Promise<ActionResult<unknown>>;

function useRun(): [Run, boolean] {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run: Run = (fn, success) =>
    new Promise((resolve) =>
      start(async () => {
        const r = await fn();
        if (r.ok) {
          toast.success(success);
          router.refresh();
        } else toast.error(r.error);
        resolve(r);
      }),
    );
  return [run, pending];
}

/** Name and description, for a new team or an existing one. */
function TeamFieldsForm(props: {
  label: string;
  initial: { name: string; description: string };
  submit: (values: { name: string; description: string }) => Promise<ActionResult<unknown>>;
  success: string;
  submitLabel: string;
  onDone?: () => void;
  resetOnSuccess?: boolean;
}) {
  const ids = useId();
  const [run, pending] = useRun();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const dirty = values.name !== props.initial.name || values.description !== props.initial.description;
  return (
    <form
      aria-label={props.label}
      className="grid gap-3"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await run(() => props.submit(values), props.success);
        if (r.ok) {
          setErrors({});
          setFormError(null);
          if (props.resetOnSuccess) setValues(props.initial);
          props.onDone?.();
          return;
        }
        setErrors(r.fieldErrors ?? {});
        setFormError(r.fieldErrors && Object.keys(r.fieldErrors).length ? null : r.error);
      }}
    >
      <FormError message={formError} />
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-name`}>Team name</Label>
        <Input
          id={`${ids}-name`}
          value={values.name}
          onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
          placeholder="e.g. Intake"
          className="max-w-sm"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? `${ids}-name-error` : undefined}
        />
        {errors.name ? (
          <p id={`${ids}-name-error`} className="text-sm text-destructive">
            {errors.name}
          </p>
        ) : null}
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-description`}>Description</Label>
        <Textarea
          id={`${ids}-description`}
          value={values.description}
          onChange={(e) => setValues((v) => ({ ...v, description: e.target.value }))}
          placeholder="What the team does, e.g. works new leads until they apply"
          rows={2}
          className="max-w-xl"
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? `${ids}-description-error` : undefined}
        />
        {errors.description ? (
          <p id={`${ids}-description-error`} className="text-sm text-destructive">
            {errors.description}
          </p>
        ) : null}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || !dirty || !values.name.trim()}>
          {props.submitLabel}
        </Button>
        {props.onDone ? (
          <Button type="button" variant="outline" onClick={props.onDone}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

export function NewTeamForm() {
  return (
    <TeamFieldsForm
      label="New team"
      initial={{ name: "", description: "" }}
      submit={(v) => createTeamAction(v)}
      success="Team created"
      submitLabel="Create team"
      resetOnSuccess
    />
  );
}

/** One team: its name and description, its members, and (for owners and admins) the controls to change them. */
export function TeamCard(props: { team: Team; members: { id: string; name: string }[]; manage: boolean }) {
  const { team } = props;
  const ids = useId();
  const [run, pending] = useRun();
  const [editing, setEditing] = useState(false);
  const [pick, setPick] = useState("");
  const archived = !!team.archivedAt;
  const inTeam = new Set(team.members.map((m) => m.userId));
  const candidates = props.members.filter((m) => !inTeam.has(m.id));
  return (
    <Card role="region" aria-labelledby={`${ids}-title`}>
      <CardHeader className="flex flex-row flex-wrap items-start gap-2 space-y-0">
        <div className="grid gap-1">
          <CardTitle id={`${ids}-title`} className="flex items-center gap-2">
            {team.name}
            <span className="sr-only"> team</span>
            {archived ? <Badge variant="outline">Archived</Badge> : null}
          </CardTitle>
          {team.description ? <CardDescription>{team.description}</CardDescription> : null}
        </div>
        {props.manage && !editing ? (
          <div className="ml-auto flex gap-1">
            {!archived ? (
              <Button variant="ghost" size="sm" onClick={() => setEditing(true)} aria-label={`Rename ${team.name}`}>
                Rename
              </Button>
            ) : null}
            <Button
              variant="outline"
              size="sm"
              disabled={pending}
              onClick={() =>
                run(
                  () => (archived ? restoreTeamAction({ id: team.id }) : archiveTeamAction({ id: team.id })),
                  archived ? `${team.name} restored` : `${team.name} archived`,
                )
              }
            >
              {archived ? "Restore" : "Archive"}
            </Button>
          </div>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        {editing ? (
          <TeamFieldsForm
            label={`Rename ${team.name}`}
            initial={{ name: team.name, description: team.description }}
            submit={(v) => updateTeamAction({ id: team.id, ...v })}
            success="Team saved"
            submitLabel="Save team"
            onDone={() => setEditing(false)}
          />
        ) : null}
        {team.members.length ? (
          <ul className="grid gap-1" aria-label={`Members of ${team.name}`}>
            {team.members.map((m) => (
              <li key={m.userId} className="flex items-center gap-2 text-sm">
                <span className="font-medium">{m.name}</span>
                {m.name !== m.email ? <span className="text-muted-foreground">{m.email}</span> : null}
                {props.manage ? (
                  <Button
                    variant="ghost"
                    size="sm"
                    className="ml-auto"
                    disabled={pending}
                    aria-label={`Remove ${m.name} from ${team.name}`}
                    onClick={() => run(() => removeTeamMemberAction({ teamId: team.id, userId: m.userId }), `${m.name} left ${team.name}`)}
                  >
                    <UserMinusIcon aria-hidden />
                    Remove
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted-foreground">Nobody is in this team yet.</p>
        )}
        {props.manage && !archived ? (
          <form
            className="flex flex-wrap items-end gap-2"
            aria-label={`Add a member to ${team.name}`}
            onSubmit={async (e) => {
              e.preventDefault();
              const who = candidates.find((m) => m.id === pick);
              if (!who) return;
              const r = await run(() => addTeamMemberAction({ teamId: team.id, userId: who.id }), `${who.name} joined ${team.name}`);
              if (r.ok) setPick("");
            }}
          >
            <div className="grid gap-1">
              <Label htmlFor={`${ids}-pick`}>Add a member</Label>
              <NativeSelect id={`${ids}-pick`} value={pick} onChange={(e) => setPick(e.target.value)} className="w-64" disabled={!candidates.length}>
                <option value="">{candidates.length ? "Choose a member…" : "Everyone is in this team"}</option>
                {candidates.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <Button type="submit" variant="outline" disabled={pending || !pick}>
              <PlusIcon aria-hidden />
              Add to team
            </Button>
          </form>
        ) : null}
      </CardContent>
    </Card>
  );
}
